import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n';
import { ApiError, blobUrl } from '../lib/api';
import { fileProblem } from '../lib/errors';
import { sanitizeEmail, splitQuoted } from '../lib/email';
import { fileSize, fullTime, isInlineImage, messageSnippet, shortTime } from '../lib/format';
import { linkify } from '../lib/linkify';
import { systemNoticeText } from '../lib/noticeText';
import type { Attachment, Message } from '../types';
import { AutomatedBadge } from './AutomatedBadge';
import { CallView } from './CallView';
import { AttachIcon, ReplyIcon } from './Icons';
import { labelOf } from '../strings';

interface Props {
  message: Message; onRetry: (m: Message) => void;
  /** The message this one answers, when it is loaded (undefined: not among the loaded ones). */
  repliedTo?: Message; onReply: (m: Message) => void;
  /** The search hit the thread was opened at. */
  highlighted?: boolean;
}

export function MessageItem({ message, onRetry, repliedTo, onReply, highlighted = false }: Props) {
  const { t, locale } = useI18n();
  const m = message;
  const html = useMemo(() => (m.html ? sanitizeEmail(m.html, t('showQuoted')) : null), [m.html, t]);
  // A system note the app knows is worded from its metadata in the user's language and time; any other keeps its text.
  const shown = useMemo(() => systemNoticeText(m, t, locale) ?? m.text, [m, t, locale]);
  const text = useMemo(() => (shown && !m.html ? splitQuoted(shown) : null), [shown, m.html]);
  const sender = m.sender.type === 'system' ? t('senderSystem') : m.sender.name;
  return (
    <li className={`message ${m.direction} ${m.status === 'failed' ? 'failed' : ''}${highlighted ? ' search-hit-target' : ''}`} data-message-id={String(m.id)}
      data-highlighted={highlighted || undefined} aria-current={highlighted || undefined}
      data-status={m.pending ? 'sending' : m.status} aria-label={`${sender}, ${fullTime(m.createdAt, locale)}`}>
      <div className="meta">
        <span className="sender">{m.direction === 'note' ? `${t('notePrefix')} · ` : ''}{sender}</span>
        <AutomatedBadge message={m} />
        <time dateTime={m.createdAt} title={fullTime(m.createdAt, locale)}>{shortTime(m.createdAt, locale)}</time>
        {late(m) && m.sentAt && (
          <span className="sent-late muted" data-testid="sent-late" title={fullTime(m.sentAt, locale)}>{t('sentAt', { time: shortTime(m.sentAt, locale) })}</span>
        )}
        {m.direction === 'outbound' && <Ticks message={m} />}
        {!m.pending && (
          <button type="button" className="link reply-action" onClick={() => onReply(m)} aria-label={t('replyToMessage', { name: sender })}
            title={t('reply')}><ReplyIcon /></button>
        )}
      </div>
      {m.replyToId != null && (
        <button type="button" className="quote" data-testid="reply-quote" disabled={!repliedTo}
          onClick={() => document.querySelector(`[data-message-id="${String(m.replyToId)}"]`)?.scrollIntoView({ behavior: 'smooth', block: 'center' })}>
          <span className="muted"><ReplyIcon size={12} /> {repliedTo ? repliedTo.sender.name : ''}</span> {repliedTo ? messageSnippet(repliedTo) : t('earlierMessage')}
        </button>
      )}
      {typeof m.metadata?.forwardedFrom === 'string' && (
        <p className="forwarded muted" data-testid="forwarded">↪ {m.metadata.forwardedFrom ? t('forwardedFrom', { name: m.metadata.forwardedFrom }) : t('forwarded')}</p>
      )}
      {m.call && <CallView call={m.call} />}
      {html !== null && <div className="email-body" dangerouslySetInnerHTML={{ __html: html }} />}
      {text && !m.call && (
        <div className="text">
          {linkify(text.body)}
          {text.quoted && <details className="quoted"><summary>{t('showQuoted')}</summary><pre>{linkify(text.quoted)}</pre></details>}
        </div>
      )}
      {m.attachments.filter((a) => !m.call || String(a.id) !== String(m.call.recordingAttachmentId)).length > 0 && (
        <ul className="attachments">{m.attachments.filter((a) => !m.call || String(a.id) !== String(m.call.recordingAttachmentId))
          .map((a) => <AttachmentView key={String(a.id)} attachment={a} />)}</ul>
      )}
      {m.status === 'failed' && (
        <div className="failure" role="alert">
          <span>{t('failedBecause', { reason: m.error ?? '?' })}</span>
          <button type="button" onClick={() => onRetry(m)}>{t('retry')}</button>
        </div>
      )}
    </li>
  );
}

/** Delivered a minute or more after the customer wrote it (a provider's retry, a phone back online): both times are shown. */
function late(m: Message): boolean {
  return !!m.sentAt && Date.parse(m.createdAt) - Date.parse(m.sentAt) >= 60_000;
}

function Ticks({ message }: { message: Message }) {
  const { t } = useI18n();
  if (message.pending) return <span className="ticks pending" data-testid="ticks" title={t('sending')} aria-label={t('sending')}>◷</span>;
  const s = message.status;
  const symbol = s === 'queued' ? '◷' : s === 'sent' ? '✓' : s === 'delivered' || s === 'read' ? '✓✓' : s === 'failed' ? '⚠' : '';
  return <span className={`ticks ${s}`} data-testid="ticks" title={labelOf(t, 'status_', s)} aria-label={labelOf(t, 'status_', s)}>{symbol}</span>;
}

function AttachmentView({ attachment: a }: { attachment: Attachment }) {
  const { t, locale } = useI18n();
  const isImage = isInlineImage(a.contentType);
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // A file still on its way from the provider (409, Retry-After 5 s) is asked for again, for up to two minutes: it then
  // shows, or says it could not be fetched (410), without a reload.
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!isImage) return;
    const ctrl = new AbortController();
    let made: string | null = null;
    let again: number | undefined;
    blobUrl(a.url, ctrl.signal).then((u) => { made = u; setUrl(u); setProblem(null); })
      .catch((e) => {
        if ((e as Error).name === 'AbortError') return;
        setProblem(fileProblem(e, t));
        if (e instanceof ApiError && e.status === 409 && attempt < 24) again = window.setTimeout(() => setAttempt((n) => n + 1), 5000);
      });
    return () => { ctrl.abort(); window.clearTimeout(again); if (made) URL.revokeObjectURL(made); };
  }, [a.url, isImage, t, attempt]);

  async function download() {
    try {
      const u = await blobUrl(a.url);
      const link = document.createElement('a');
      link.href = u;
      link.download = a.fileName;
      link.click();
      window.setTimeout(() => URL.revokeObjectURL(u), 10_000);
    } catch (e) {
      setProblem(fileProblem(e, t));
    }
  }

  return (
    <li className="attachment">
      {isImage && url && <img src={url} alt={a.fileName} loading="lazy" />}
      <button type="button" className="link" onClick={download} aria-label={t('download', { name: a.fileName })}>
        <AttachIcon size={14} /> {a.fileName}{a.size ? ` (${fileSize(a.size, locale)})` : ''}
      </button>
      {problem && <span className="muted"> {problem}</span>}
    </li>
  );
}

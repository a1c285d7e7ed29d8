import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n';
import { body as answer, client, formBody } from '../api/client';
import { ApiError } from '../lib/api';
import { fileSize, messageSnippet, newClientId, smsSegments } from '../lib/format';
import { useLive } from '../live';
import { useMe } from '../session';
import type { Attachment, Id, Message } from '../types';
import { useCannedPicker } from './canned/CannedPicker';
import { AttachIcon } from './Icons';
import { MentionPicker, mentionedIds, type Colleague } from './MentionPicker';
import { useWhatsAppState, WhatsAppTemplates } from './WhatsAppTemplates';

const SMS_MAX_LENGTH = 1600;

interface Props {
  conversationId: string; serverId: Id | null; channelKind: string;
  /** The message the next reply answers (chosen with a message's Reply action), or null. */
  replyTo: Message | null; onCancelReply: () => void;
  onOptimistic: (m: Message) => void; onSettled: (tempId: Id, real: Message | null) => void;
  /** The conversation can no longer be answered from here: the draft stays readable and can be copied. */
  readOnly?: boolean;
  /** The caller was mentioned into a colleague's conversation: private notes only (the server refuses a reply). */
  notesOnly?: boolean;
}

/** A file picked, pasted or dropped for the next reply: uploaded at once, sent by id with the reply. */
interface PendingFile { key: string; name: string; size: number; attachment: Attachment | null; error: string | null }

const draftKey = (id: string) => `cc.draft.${id}`;

/** Enter sends, Shift+Enter breaks the line. Drafts live in localStorage, so a reload or an expired session keeps them. */
export function Composer({ conversationId, serverId, channelKind, replyTo, onCancelReply, onOptimistic, onSettled, readOnly = false, notesOnly = false }: Props) {
  const { t, locale } = useI18n();
  const me = useMe();
  const { hub } = useLive();
  const [text, setText] = useState(() => localStorage.getItem(draftKey(conversationId)) ?? '');
  const [noteChosen, setIsNote] = useState(false);
  const isNote = notesOnly || noteChosen;
  const [error, setError] = useState<string | null>(null);
  const [segments, setSegments] = useState<ReturnType<typeof smsSegments> | null>(null);
  const [files, setFiles] = useState<PendingFile[]>([]);
  const lastTyping = useRef(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const canned = useCannedPicker({ area, text, setText: onChange, conversationId: serverId, onAttachments: attachReady, disabled: readOnly });
  const mentioned = useRef<Colleague[]>([]);

  useEffect(() => { if (replyTo) area.current?.focus(); }, [replyTo]);

  // WhatsApp: outside the 24-hour window only a template may go; an opted-out customer gets nothing.
  const wa = useWhatsAppState(serverId, channelKind === 'whatsapp');
  const waClosed = !isNote && !!wa.state && (!wa.state.windowOpen || wa.state.optedOut);

  useEffect(() => {
    if (text) localStorage.setItem(draftKey(conversationId), text); else localStorage.removeItem(draftKey(conversationId));
  }, [text, conversationId]);

  // SMS: the server's count when it has the route, the same rule computed here otherwise.
  useEffect(() => {
    if (channelKind !== 'sms' || isNote) { setSegments(null); return; }
    setSegments(smsSegments(text));
    if (!text) return;
    const ctrl = new AbortController();
    const timer = window.setTimeout(() => {
      answer(client.GET('/api/sms/segments', { params: { query: { text } }, signal: ctrl.signal }))
        .then((s) => { if (s && typeof s.segments === 'number') setSegments({ ...s, encoding: s.encoding === 'UCS-2' ? 'UCS-2' : 'GSM-7' }); }).catch(() => undefined);
    }, 250);
    return () => { window.clearTimeout(timer); ctrl.abort(); };
  }, [text, channelKind, isNote]);

  function onChange(value: string) {
    if (readOnly) return;
    setText(value);
    const now = Date.now();
    if (!isNote && serverId !== null && value && now - lastTyping.current > 3000) {
      lastTyping.current = now;
      void hub.invoke('Typing', serverId);
    }
  }

  function addFiles(picked: FileList | File[] | null) {
    for (const file of Array.from(picked ?? [])) {
      const key = newClientId();
      setFiles((list) => [...list, { key, name: file.name, size: file.size, attachment: null, error: null }]);
      void upload(key, file);
    }
  }

  /** Files already uploaded for this conversation (a canned response's copies): ready to send. */
  function attachReady(list: Attachment[]) {
    setFiles((current) => [...current, ...list.map((a) => ({ key: newClientId(), name: a.fileName, size: a.size ?? 0, attachment: a, error: null }))]);
  }

  async function upload(key: string, file: File) {
    const form = new FormData();
    form.append('file', file, file.name);
    const settle = (patch: Partial<PendingFile>) => setFiles((list) => list.map((f) => (f.key === key ? { ...f, ...patch } : f)));
    try {
      settle({ attachment: await answer(client.POST('/api/conversations/{id}/attachments', { params: { path: { id: Number(conversationId) } }, ...formBody(form) })) });
    } catch (e) {
      const err = e as ApiError;
      settle({ error: err.status === 413 ? t('fileTooLarge', { reason: err.message }) : err.message });
    }
  }

  const ready = files.filter((f) => f.attachment);
  const uploading = files.some((f) => !f.attachment && !f.error);
  // Twilio takes at most 1,600 characters in one message (the server refuses a longer SMS reply the same way).
  const smsTooLong = channelKind === 'sms' && !isNote && text.length > SMS_MAX_LENGTH;
  const canSend = !readOnly && !uploading && !smsTooLong && (!!text.trim() || ready.length > 0);
  const [copied, setCopied] = useState(false);

  async function copyDraft() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      // No clipboard permission: select the text so the keyboard can copy it.
      area.current?.select();
    }
  }

  async function send() {
    const body = text.trim();
    if (!canSend) return;
    const clientMessageId = newClientId();
    const tempId = `local-${clientMessageId}`;
    const note = isNote;
    const sent = ready;
    const answering = replyTo;
    const mentionUserIds = note ? mentionedIds(body, mentioned.current) : [];
    mentioned.current = [];
    onOptimistic({
      id: tempId, conversationId, direction: note ? 'note' : 'outbound', text: body, html: null, attachments: sent.map((f) => f.attachment!),
      sender: { type: 'user', id: Number(me.id), name: me.name }, status: 'queued', error: null, externalId: null,
      createdAt: new Date().toISOString(), replyToId: answering ? Number(answering.id) : null, pending: true,
    });
    setText('');
    setError(null);
    try {
      const message = await answer(client.POST('/api/conversations/{id}/messages', {
        params: { path: { id: Number(conversationId) } },
        body: {
          text: body, clientMessageId, private: note,
          ...(sent.length > 0 ? { attachmentIds: sent.map((f) => f.attachment!.id) } : {}),
          ...(answering ? { replyToMessageId: Number(answering.id) } : {}),
          ...(mentionUserIds.length > 0 ? { mentionUserIds: mentionUserIds.map(Number) } : {}),
        },
      }));
      onSettled(tempId, message);
      setFiles((list) => list.filter((f) => !sent.includes(f)));
      if (answering) onCancelReply();
    } catch (e) {
      const err = e as ApiError;
      if (err.status === 401) {
        // Session expired: keep the text for after sign-in.
        localStorage.setItem(draftKey(conversationId), body);
        onSettled(tempId, null);
        return;
      }
      onSettled(tempId, null);
      setText((current) => current || body);
      // The files stay: a channel that cannot send them is told plainly, with what to do.
      const refusedFiles = sent.length > 0 && !!err.errors?.attachmentIds;
      if (err.status === 409 && channelKind === 'whatsapp') wa.refresh();
      setError(t(refusedFiles ? 'filesRefused' : 'replyFailed', { reason: err.message }));
    }
    area.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (canned.onKeyDown(e)) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape' && replyTo) {
      e.preventDefault();
      onCancelReply();
    }
  }

  return (
    <form className={`composer ${isNote ? 'note' : ''}`} aria-label={t('composer')} onSubmit={(e) => { e.preventDefault(); void send(); }}
      onDragOver={(e) => { if (e.dataTransfer.types.includes('Files')) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; } }}
      onDrop={(e) => { if (e.dataTransfer.files.length > 0) { e.preventDefault(); addFiles(e.dataTransfer.files); } }}>
      {replyTo && (
        <div className="replying-to" data-testid="replying-to">
          <span className="muted">{t('replyingTo', { name: replyTo.sender.name })}</span>{' '}
          <q>{messageSnippet(replyTo) || t('earlierMessage')}</q>
          <button type="button" className="link" onClick={onCancelReply} aria-label={t('cancelReply')}>✕</button>
        </div>
      )}
      {waClosed && wa.state && (
        <div className="wa-closed" data-testid="wa-window-closed">
          <p className="muted" role="status">{wa.state.optedOut ? t('waOptedOut') : t('waWindowClosed')}</p>
          {!wa.state.optedOut && serverId !== null && (
            <WhatsAppTemplates conversationId={serverId} onSent={(m) => { onSettled(`wa-${m.id}`, m); wa.refresh(); }} />
          )}
        </div>
      )}
      {canned.popup}
      {isNote && !readOnly && <MentionPicker area={area} text={text} onText={onChange} onPick={(c) => { mentioned.current = [...mentioned.current, c]; }} />}
      <textarea ref={area} {...canned.inputProps} aria-label={isNote ? t('privateNote') : t('composer')} rows={3} readOnly={readOnly}
        placeholder={isNote ? t('notePlaceholder') : t('replyPlaceholder')} value={text}
        onChange={(e) => onChange(e.target.value)} onKeyDown={onKeyDown}
        onPaste={(e) => { if (e.clipboardData.files.length > 0) { e.preventDefault(); addFiles(e.clipboardData.files); } }} />
      {files.length > 0 && (
        <ul className="pending-files" aria-label={t('filesToSend')}>
          {files.map((f) => (
            <li key={f.key} className={f.error ? 'failed' : f.attachment ? 'ready' : 'uploading'} data-status={f.error ? 'failed' : f.attachment ? 'ready' : 'uploading'}>
              <span className="file-name" title={f.name}><AttachIcon size={14} /> {f.name}</span> <span className="muted">{fileSize(f.size, locale)}</span>
              {!f.attachment && !f.error && <span className="muted"> {t('uploading')}</span>}
              {f.error && <span className="error"> {f.error}</span>}
              <button type="button" className="link" aria-label={t('removeFile', { name: f.name })}
                onClick={() => setFiles((list) => list.filter((x) => x.key !== f.key))}>✕</button>
            </li>
          ))}
        </ul>
      )}
      {readOnly ? (
        <div className="composer-bar">
          {text && <button type="button" onClick={() => void copyDraft()}>{copied ? t('draftCopied') : t('copyDraft')}</button>}
        </div>
      ) : (
      <div className="composer-bar">
        <button type="button" className="attach" onClick={() => picker.current?.click()} aria-label={t('attachFiles')} title={t('attachFiles')}><AttachIcon size={18} /></button>
        <input ref={picker} type="file" multiple hidden tabIndex={-1} aria-hidden="true"
          onChange={(e) => { addFiles(e.target.files); e.target.value = ''; }} />
        <label className="toggle">
          <input type="checkbox" checked={isNote} disabled={notesOnly} onChange={(e) => setIsNote(e.target.checked)} /> {t('privateNote')}
        </label>
        {/* Targets of the `r` and `n` shortcuts (lib/shortcuts.ts): the mode, then the text box. */}
        <button type="button" hidden tabIndex={-1} data-shortcut="reply" onClick={() => { setIsNote(false); area.current?.focus(); }} />
        <button type="button" hidden tabIndex={-1} data-shortcut="note" onClick={() => { setIsNote(true); area.current?.focus(); }} />
        {segments && <span className={smsTooLong ? 'error' : 'muted'} data-testid="sms-segments">{t('smsSegments', { ...segments })}</span>}
        {smsTooLong && <span className="error" role="alert" data-testid="sms-too-long">{t('smsTooLong', { max: SMS_MAX_LENGTH })}</span>}
        {error && <span className="error" role="alert">{error}</span>}
        <button type="submit" className="primary" disabled={!canSend || waClosed}>{isNote ? t('addNote') : t('send')}</button>
      </div>
      )}
    </form>
  );
}

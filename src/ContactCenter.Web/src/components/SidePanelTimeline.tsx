import { useEffect, useRef, useState } from 'react';
import { useI18n, type Translate } from '../i18n';
import { useApiGet } from '../api/useApiGet';
import { shortTime } from '../lib/format';
import { participantsText } from '../lib/noticeText';
import { timelineData, type Call, type TimelineEntry } from '../types';
import { CallView } from './CallView';
import { useSubjectUpdates, type Subject } from './Activities';
import { postComment, timelinePath } from './cards/CardTimeline';
import { ResourceStatus } from './Status';

/** The side panel's short timeline of a lead or deal: the latest 30 entries and a comment box (the card has the whole one). */
const timelineTypes = ['message', 'comment', 'stageChanged', 'activity', 'created', 'converted', 'closed', 'automation', 'updated', 'reopened', 'junked', 'contactsMerged', 'call'] as const;

export function Timeline({ subject, lastMessageId }: { subject: Subject; lastMessageId?: unknown }) {
  const { t, locale } = useI18n();
  const timelineType = (type: string) =>
    (timelineTypes as readonly string[]).includes(type) ? t(`timeline_${type as (typeof timelineTypes)[number]}`) : type;
  const timeline = useApiGet(timelinePath(subject), { params: { path: { id: Number(subject.id) }, query: { limit: 30 } } });
  useSubjectUpdates(subject, () => void timeline.reload());
  // A new message in the open conversation (the customer's or a reply) is a new entry here too: read again when it moves,
  // not on the first render (the read above is that).
  const seenMessage = useRef(lastMessageId);
  useEffect(() => {
    if (seenMessage.current === lastMessageId) return;
    seenMessage.current = lastMessageId;
    void timeline.reload();
  }, [lastMessageId, timeline]);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function add() {
    try { await postComment(subject, comment); setComment(''); void timeline.reload(); } catch (e) { setError((e as Error).message); }
  }
  return (
    <>
      <h4>{t('timeline')}</h4>
      <ResourceStatus resource={timeline} what="timeline" />
      <form className="row" onSubmit={(e) => { e.preventDefault(); if (comment.trim()) void add(); }}>
        <input aria-label={t('comment')} placeholder={t('comment')} value={comment} onChange={(e) => setComment(e.target.value)} />
        <button type="submit">{t('addComment')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      <ol className="timeline">
        {(timeline.data?.items ?? []).map((e) => (
          <li key={String(e.id)}>
            <time dateTime={e.at}>{shortTime(e.at, locale)}</time> <strong>{timelineType(e.type)}</strong>{' '}
            <span className="muted">{describe(e, t, locale)}</span>
            {e.type === 'call' && timelineData(e).call != null && <CallView call={timelineData(e).call as Call} />}
          </li>
        ))}
      </ol>
    </>
  );
}

function describe(e: TimelineEntry, t: Translate, locale: string): string {
  const d = timelineData(e);
  if (e.type === 'participants' && typeof d.byName === 'string' && typeof d.added === 'string') return participantsText(d.byName, d.added, t, locale);
  const moved = d.toStage ? `${String(d.fromStage ?? '')} → ${String(d.toStage)}` : '';
  const text = (d.preview ?? d.text ?? d.title ?? d.stageName ?? (moved || d.ruleName) ?? d.mergedContactName ?? '') as string;
  const actor = e.actor.type === 'system' ? t('actorSystem') : e.actor.name ?? '';
  return [actor, text].filter(Boolean).join(': ');
}

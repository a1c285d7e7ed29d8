import { useState } from 'react';
import { labelOf } from '../../strings';
import { useI18n, type Translate } from '../../i18n';
import { client } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { shortTime } from '../../lib/format';
import { timelineReason, timelineType } from '../../lib/timelineText';
import { junkReasonName } from './cardTypes';
import { timelineData, type TimelineEntry } from '../../types';
import { participantsText } from '../../lib/noticeText';
import { useSubjectUpdates, type Subject } from '../Activities';
import { ResourceStatus } from '../Status';

/** Adds a comment to the deal's or lead's timeline. */
export function postComment(subject: Subject, text: string) {
  const options = { params: { path: { id: Number(subject.id) } }, body: { text } };
  return subject.type === 'deal' ? client.POST('/api/deals/{id}/comments', options) : client.POST('/api/leads/{id}/comments', options);
}

/** The timeline route of a deal or a lead (both answer a page of `TimelineEntryDto`). */
export const timelinePath = (subject: Subject) =>
  subject.type === 'deal' ? '/api/deals/{id}/timeline' as const : '/api/leads/{id}/timeline' as const;

/** Which entry types each filter chip shows. */
const filters = {
  filterAll: null,
  filterMessages: ['message', 'call'],
  filterComments: ['comment'],
  filterActivities: ['activity'],
  filterStages: ['stageChanged', 'closed', 'reopened', 'converted', 'junked'],
  filterAutomation: ['automation'],
} as const;
type Filter = keyof typeof filters;

/** The card's timeline: newest first, filter chips, a comment box; re-read when the subject changes. */
export function CardTimeline({ subject }: { subject: Subject }) {
  const { t, locale, lang } = useI18n();
  const timeline = useApiGet(timelinePath(subject), { params: { path: { id: Number(subject.id) }, query: { limit: 200 } } });
  // A lead's "junked" entries name their reason from the catalogue, in the reader's language.
  const junkReasons = useApiGet(subject.type === 'lead' ? '/api/junk-reasons' : null);
  useSubjectUpdates(subject, () => void timeline.reload());
  const [filter, setFilter] = useState<Filter>('filterAll');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const types = filters[filter] as readonly string[] | null;
  const items = (timeline.data?.items ?? []).filter((e) => !types || types.includes(e.type));
  async function add() {
    try { setError(null); await postComment(subject, comment); setComment(''); void timeline.reload(); } catch (e) { setError((e as Error).message); }
  }
  return (
    <section className="card-timeline" aria-labelledby="card-timeline-h">
      <h3 id="card-timeline-h">{t('timeline')}</h3>
      <div className="chips" role="group" aria-label={t('timeline')}>
        {(Object.keys(filters) as Filter[]).map((f) => (
          <button key={f} type="button" className={`chip ${f === filter ? 'active' : ''}`} aria-pressed={f === filter} onClick={() => setFilter(f)}>{t(f)}</button>
        ))}
      </div>
      <form className="row" onSubmit={(e) => { e.preventDefault(); if (comment.trim()) void add(); }}>
        <input aria-label={t('comment')} placeholder={t('comment')} value={comment} onChange={(e) => setComment(e.target.value)} />
        <button type="submit">{t('addComment')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      <ResourceStatus resource={timeline} what="timeline" />
      <ol className="timeline" data-testid="card-timeline">
        {items.map((e) => (
          <li key={String(e.id)} data-type={e.type}>
            <time dateTime={e.at}>{shortTime(e.at, locale)}</time> <strong>{timelineType(e.type, t)}</strong>{' '}
            <span className="muted">{describe(e, t, locale, (d) => junkReasonName({
              junkReason: typeof d.reason === 'string' ? d.reason : null, junkReasonId: typeof d.junkReasonId === 'number' ? d.junkReasonId : null,
            }, junkReasons.data, lang) ?? undefined)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function describe(e: TimelineEntry, t: Translate, locale: string, junked: (d: { reason?: unknown; junkReasonId?: unknown }) => string | undefined): string {
  const d = timelineData(e);
  // Worded in the UI's language from its facts (entries written before the facts were kept show the server's sentence).
  if (e.type === 'participants' && typeof d.byName === 'string' && typeof d.added === 'string') return participantsText(d.byName, d.added, t, locale);
  const moved = d.toStage ? `${String(d.fromStage ?? '')} → ${String(d.toStage)}` : '';
  const reason = e.type === 'junked' ? junked(d) : typeof d.reason === 'string' ? timelineReason(d.reason, t) : undefined;
  // An edit names what it set ("amount, currency"): the entry keeps the changes, the line said only "Changed".
  const changed = e.type === 'updated' && typeof d.changes === 'object' && d.changes !== null
    ? Object.keys(d.changes as object).map((k) => labelOf(t, 'changed_', k)).join(', ') : '';
  const text = (d.preview ?? d.text ?? d.title ?? reason ?? d.stageName ?? (moved || d.ruleName) ?? changed ?? '') as string;
  const actor = e.actor.type === 'system' ? t('actorSystem') : e.actor.name ?? '';
  return [actor, typeof text === 'string' ? text : ''].filter(Boolean).join(': ');
}

import { useState } from 'react';
import { useI18n } from '../i18n';
import { labelOf } from '../strings';
import { body, client } from '../api/client';
import { useApiGet } from '../api/useApiGet';
import { fullTime, toLocalInput } from '../lib/format';
import { useHubEvent } from '../live';
import { useMe } from '../session';
import { sameId, type Activity, type ActivityRef, type ActivityType, type Id } from '../types';
import { ResourceStatus } from './Status';

export type Subject = { type: 'lead' | 'deal'; id: Id };

/** Calls `reload` whenever the server pushes a change of this lead or deal (its activities included). */
export function useSubjectUpdates(subject: Subject, reload: () => void) {
  useHubEvent('dealUpdated', (d) => { if (subject.type === 'deal' && sameId(d.id, subject.id)) reload(); });
  useHubEvent('leadUpdated', (l) => { if (subject.type === 'lead' && sameId(l.id, subject.id)) reload(); });
  // Handed to a colleague: the re-read answers 404 and the page says the record is not the caller's to see.
  useHubEvent('dealRemoved', (d) => { if (subject.type === 'deal' && sameId(d.id, subject.id)) reload(); });
  useHubEvent('leadRemoved', (l) => { if (subject.type === 'lead' && sameId(l.id, subject.id)) reload(); });
  // After a reconnect (or the server's `resync`) changes may have been missed: re-read like the other live views.
  useHubEvent('resync', () => reload());
}

/** Completes an activity; the answer says who completed it (a colleague may have been a moment faster). */
export async function completeActivity(a: { id: Id }) {
  // The route takes an optional JSON body ({result?}): without a JSON content type it does not match at all.
  return body(client.POST('/api/activities/{id}/complete', { params: { path: { id: Number(a.id) } }, body: {} }));
}

export function ActivityLine({ activity: a, locale, onComplete }: { activity: Omit<ActivityRef, 'id'> & { id: Id; completedAt?: string | null }; locale: string; onComplete?: () => void }) {
  const { t } = useI18n();
  const overdue = !a.completedAt && Date.parse(a.dueAt) < Date.now();
  return (
    <li className={`activity ${overdue ? 'overdue' : ''}`} data-activity-id={String(a.id)}>
      <span className="what">
        <span className="pill">{labelOf(t, 'activity_', a.type)}</span> {a.title}{' '}
        <time dateTime={a.dueAt} className={overdue ? 'danger-text' : 'muted'}>{fullTime(a.dueAt, locale)}{overdue ? ` · ${t('overdue')}` : ''}</time>
      </span>
      {onComplete && !a.completedAt && <button type="button" onClick={onComplete}>{t('complete')}</button>}
    </li>
  );
}

/**
 * What the manager just did on the list: `completed` lets a card ask what to plan next when nothing is left planned;
 * `completedByColleague`: their click found it completed by someone else a moment earlier (who was asked).
 */
export type ActivityChange = 'completed' | 'completedByColleague' | 'created';

/** The open activities of a lead or deal, soonest first (overdue in red), with "done" and a form to add one. */
export function SubjectActivities({ subject, open, onChanged }: { subject: Subject; open: boolean; onChanged: (change: ActivityChange) => void }) {
  const { t, locale } = useI18n();
  const me = useMe();
  const list = useApiGet('/api/activities', { params: { query: { assignee: 'all', subjectType: subject.type, subjectId: Number(subject.id), limit: 100 } } });
  const [error, setError] = useState<string | null>(null);
  useSubjectUpdates(subject, () => void list.reload());
  const pending = (list.data?.items ?? []).filter((a) => !a.completedAt);

  async function complete(a: Activity) {
    try {
      setError(null);
      const done = await completeActivity(a);
      void list.reload();
      // Only the person whose click completed it is asked what comes next; a colleague who was a moment faster was asked.
      onChanged(sameId(done.completedById, me.id) ? 'completed' : 'completedByColleague');
    } catch (e) { setError((e as Error).message); }
  }
  return (
    <>
      <h4>{t('activities')}</h4>
      <ResourceStatus resource={list} what="GET /api/activities" />
      {pending.length > 0 && (
        <ul className="activities" aria-label={t('activities')}>
          {pending.map((a) => <ActivityLine key={String(a.id)} activity={a} locale={locale} onComplete={() => void complete(a)} />)}
        </ul>
      )}
      {list.data && pending.length === 0 && open &&
        <p className="notice prompt">{t(subject.type === 'deal' ? 'noPlannedActivity' : 'noPlannedActivityLead')}</p>}
      {open && <ActivityForm subject={subject} onCreated={() => { void list.reload(); onChanged('created'); }} />}
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
}

export function ActivityForm({ subject, onCreated, initiallyOpen = false }: { subject: Subject; onCreated: () => void; initiallyOpen?: boolean }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(initiallyOpen);
  const [type, setType] = useState<ActivityType>('call');
  const [title, setTitle] = useState('');
  const [due, setDue] = useState(() => toLocalInput(new Date(Date.now() + 3600_000)));
  const [error, setError] = useState<string | null>(null);
  if (!open) return <button type="button" onClick={() => setOpen(true)}>+ {t('addActivity')}</button>;
  return (
    <form className="activity-form" onSubmit={async (e) => {
      e.preventDefault();
      try {
        await body(client.POST('/api/activities', { body: { subject: { type: subject.type, id: Number(subject.id) }, type, title, dueAt: new Date(due).toISOString() } }));
        setOpen(false); setTitle(''); setError(null); onCreated();
      } catch (err) { setError((err as Error).message); }
    }}>
      <label>{t('activityType')}
        <select value={type} onChange={(e) => setType(e.target.value as ActivityType)}>
          {(['call', 'meeting', 'task', 'email'] as const).map((k) => <option key={k} value={k}>{t(`activity_${k}`)}</option>)}
        </select>
      </label>
      <label>{t('title')} <input value={title} required onChange={(e) => setTitle(e.target.value)} /></label>
      <label>{t('dueAt')} <input type="datetime-local" value={due} required onChange={(e) => setDue(e.target.value)} /></label>
      <div className="row">
        <button type="submit" className="primary">{t('addActivity')}</button>
        <button type="button" onClick={() => setOpen(false)}>{t('cancel')}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}

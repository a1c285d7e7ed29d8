import { useState } from 'react';
import { useI18n } from '../i18n';
import { api } from '../lib/api';
import { fullTime, toLocalInput } from '../lib/format';
import type { ActivityRef, ActivityType, Id } from '../types';

export function ActivityLine({ activity: a, locale, onComplete }: { activity: ActivityRef & { completedAt?: string | null }; locale: string; onComplete?: () => void }) {
  const { t } = useI18n();
  const overdue = !a.completedAt && Date.parse(a.dueAt) < Date.now();
  return (
    <li className={`activity ${overdue ? 'overdue' : ''}`}>
      <span className="pill">{t(`activity_${a.type}`)}</span> {a.title}{' '}
      <time dateTime={a.dueAt} className={overdue ? 'danger-text' : 'muted'}>{fullTime(a.dueAt, locale)}{overdue ? ` · ${t('overdue')}` : ''}</time>
      {onComplete && !a.completedAt && <button type="button" onClick={onComplete}>{t('complete')}</button>}
    </li>
  );
}

export function ActivityForm({ subject, onCreated }: { subject: { type: 'lead' | 'deal'; id: Id }; onCreated: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [type, setType] = useState<ActivityType>('call');
  const [title, setTitle] = useState('');
  const [due, setDue] = useState(() => toLocalInput(new Date(Date.now() + 3600_000)));
  const [error, setError] = useState<string | null>(null);
  if (!open) return <button type="button" onClick={() => setOpen(true)}>+ {t('addActivity')}</button>;
  return (
    <form className="activity-form" onSubmit={async (e) => {
      e.preventDefault();
      try {
        await api('/api/activities', { body: { subject, type, title, dueAt: new Date(due).toISOString() } });
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

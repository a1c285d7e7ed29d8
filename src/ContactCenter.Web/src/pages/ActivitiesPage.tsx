import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ActivityLine, completeActivity } from '../components/Activities';
import { ResourceStatus } from '../components/Status';
import { useI18n } from '../i18n';
import { labelOf } from '../strings';
import { useApiGet } from '../api/useApiGet';
import { useCounters, useHubEvent } from '../live';
import type { Activity } from '../types';

type Tab = 'overdue' | 'today' | 'planned';
const items = (d: { items: Activity[] } | null): Activity[] => d?.items ?? [];

export function ActivitiesPage() {
  const { t, locale } = useI18n();
  const counters = useCounters();
  const [tab, setTab] = useState<Tab>('overdue');
  const list = useApiGet('/api/activities', { params: { query: { assignee: 'me', state: tab } } });
  const planned = useApiGet('/api/activities', { params: { query: { assignee: 'me', state: 'planned', limit: 200 } } });
  // The calendar shows what is overdue too, on the day it was due (red), not only what is still ahead.
  const overdue = useApiGet('/api/activities', { params: { query: { assignee: 'me', state: 'overdue', limit: 200 } } });
  const [error, setError] = useState<string | null>(null);
  const counts: Record<Tab, number | undefined> = { overdue: counters?.overdueActivities, today: counters?.activitiesDueToday, planned: undefined };

  const reloadAll = useCallback(() => { void list.reload(); void planned.reload(); void overdue.reload(); }, [list, planned, overdue]);
  // An activity added, moved or completed elsewhere (another tab, a colleague, automation) changes the caller's counters or
  // pushes its deal or lead: the lists follow without a reload of the page.
  const version = `${counters?.overdueActivities}/${counters?.activitiesDueToday}`;
  const seen = useRef(version);
  useEffect(() => { if (seen.current !== version) { seen.current = version; reloadAll(); } }, [version, reloadAll]);
  useHubEvent('dealUpdated', reloadAll);
  useHubEvent('leadUpdated', reloadAll);
  useHubEvent('activityDue', reloadAll);

  async function complete(a: Activity) {
    try { await completeActivity(a); reloadAll(); }
    catch (e) { setError((e as Error).message); }
  }

  return (
    <div className="page activities-page">
      <div className="page-head"><h1>{t('activities')}</h1></div>
      <div role="tablist" className="views" aria-label={t('activities')}>
        {(['overdue', 'today', 'planned'] as const).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => setTab(k)}>
            {t(`tab_${k}`)}{counts[k] ? <span className={`badge ${k === 'overdue' ? 'danger' : ''}`}>{counts[k]}</span> : null}
          </button>
        ))}
      </div>
      <ResourceStatus resource={list} what="GET /api/activities" />
      {error && <p className="error" role="alert">{error}</p>}
      {list.data && (
        <ul className="activities" role="tabpanel">
          {items(list.data).map((a) => (
            <ActivityLine key={String(a.id)} activity={{ ...a, title: a.subject?.title ? `${a.title} — ${a.subject.title}` : a.title }} locale={locale} onComplete={() => void complete(a)} />
          ))}
          {items(list.data).length === 0 && <li className="muted">{t('noActivities')}</li>}
        </ul>
      )}
      <h2>{t('calendar')}</h2>
      <Calendar activities={[...items(overdue.data), ...items(planned.data).filter((a) => !items(overdue.data).some((o) => o.id === a.id))]} />
    </div>
  );
}

function Calendar({ activities }: { activities: Activity[] }) {
  const { t, locale } = useI18n();
  const [month, setMonth] = useState(() => { const d = new Date(); return new Date(d.getFullYear(), d.getMonth(), 1); });
  const byDay = useMemo(() => {
    const map = new Map<string, Activity[]>();
    for (const a of activities) {
      const key = new Date(a.dueAt).toDateString();
      map.set(key, [...(map.get(key) ?? []), a]);
    }
    return map;
  }, [activities]);
  const first = new Date(month);
  const offset = (first.getDay() + 6) % 7; // weeks start on Monday
  const days = Array.from({ length: 42 }, (_, i) => new Date(month.getFullYear(), month.getMonth(), 1 - offset + i));
  const weekdays = Array.from({ length: 7 }, (_, i) => new Date(2024, 0, 1 + i).toLocaleDateString(locale, { weekday: 'short' }));
  return (
    <div className="calendar">
      <div className="row">
        <button type="button" aria-label={t('prevMonth')} onClick={() => setMonth(new Date(month.getFullYear(), month.getMonth() - 1, 1))}>‹</button>
        <strong>{month.toLocaleDateString(locale, { month: 'long', year: 'numeric' })}</strong>
        <button type="button" aria-label={t('nextMonth')} onClick={() => setMonth(new Date(month.getFullYear(), month.getMonth() + 1, 1))}>›</button>
      </div>
      <div className="grid" role="grid">
        {weekdays.map((w) => <div key={w} className="weekday" role="columnheader">{w}</div>)}
        {days.map((d) => {
          const list = byDay.get(d.toDateString()) ?? [];
          const today = d.toDateString() === new Date().toDateString();
          return (
            <div key={d.toISOString()} role="gridcell" className={`day ${d.getMonth() !== month.getMonth() ? 'other' : ''} ${today ? 'today' : ''}`}>
              <span className="date">{d.getDate()}</span>
              {list.slice(0, 3).map((a) => <span key={String(a.id)} className="cal-item" title={a.title}>{labelOf(t, 'activity_', a.type)}: {a.title}</span>)}
              {list.length > 3 && <span className="muted">+{list.length - 3}</span>}
            </div>
          );
        })}
      </div>
    </div>
  );
}

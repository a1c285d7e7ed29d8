import { useCellLabels } from '../lib/cellLabels';
import { useEffect, useRef, useState } from 'react';
import { useQueries } from '@tanstack/react-query';
import { Bar, BarChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { CsatTable } from '../components/CsatTable';
import { ResourceStatus } from '../components/Status';
import { useI18n } from '../i18n';
import { body, client } from '../api/client';
import { useApiGet } from '../api/useApiGet';
import { ApiError } from '../lib/api';
import { duration, plausibleWait } from '../lib/format';
import { periodQuery } from '../lib/reports';
import { useHubEvent, useJoined } from '../live';
import { Link } from 'react-router';
import type { QueueStats, Ref, StatsRow } from '../types';

/**
 * A conversation past its SLA target, by id: how long its customer had waited when the server said so (`readAt`, this
 * browser's clock: the wait grows from there, whatever the two clocks say), with whom (null: in the queue), and who.
 */
type Breach = { waited: number; readAt: number; assignee: Ref | null; contact?: Ref; preview?: string };
type Breaches = Map<string, Breach>;

/** The breaches the server knows of; a server without `breaches` leaves the live ones as they are. */
function breachesOf(q: QueueStats, live: Breaches, readAt: number): Breaches {
  const next: Breaches = q.breaches ? new Map() : new Map(live);
  for (const b of q.breaches ?? []) {
    next.set(String(b.conversationId), { waited: b.waitingSeconds, readAt, assignee: b.assignee, contact: b.contact, preview: b.preview });
  }
  for (const w of q.waiting) {
    if (w.slaBreachedAt) next.set(String(w.conversationId), { waited: w.waitingSeconds, readAt, assignee: null, contact: w.contact, preview: w.preview });
  }
  return next;
}

const day = 86400_000;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export function SupervisorPage() {
  const { t, lang } = useI18n();
  const queue = useApiGet('/api/stats/queue', null, { before: useJoined() });
  const [readAt, setReadAt] = useState(Date.now());
  const [breaches, setBreaches] = useState<Breaches>(new Map());
  const [now, setNow] = useState(Date.now());
  const [from, setFrom] = useState(() => isoDate(new Date(Date.now() - 7 * day)));
  const [to, setTo] = useState(() => isoDate(new Date()));
  const range = { params: { query: periodQuery({ from, to }) } };
  const times = useApiGet('/api/stats/response-times', range);
  const calls = useApiGet('/api/stats/calls', range);

  useEffect(() => {
    if (!queue.data) return;
    const q = queue.data;
    const at = Date.now();
    setReadAt(at);
    setBreaches((live) => breachesOf(q, live, at));
  }, [queue.data]);
  useHubEvent('queueChanged', (q) => queue.set(() => q));
  useHubEvent('slaBreached', (b) => setBreaches((s) => {
    const known = s.get(String(b.conversationId));
    return new Map(s).set(String(b.conversationId), { ...known, waited: b.waitingSeconds, readAt: Date.now(), assignee: b.assignee });
  }));
  // An answer changes the response-time tables: read them again, at most every two seconds however busy the inbox is.
  const timesSoon = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timesSoon.current), []);
  const reloadTimesSoon = () => {
    if (timesSoon.current !== undefined) return;
    timesSoon.current = window.setTimeout(() => { timesSoon.current = undefined; void times.reload(); void calls.reload(); }, 2000);
  };
  // Answered or resolved: the customer no longer waits, the breach is over.
  useHubEvent('conversationUpdated', (c) => {
    if (c.waitingSince && c.status !== 'resolved') return;
    reloadTimesSoon();
    setBreaches((s) => { if (!s.has(String(c.id))) return s; const next = new Map(s); next.delete(String(c.id)); return next; });
  });
  useHubEvent('resync', () => { void queue.reload(); reloadTimesSoon(); });
  useEffect(() => { const timer = window.setInterval(() => setNow(Date.now()), 1000); return () => window.clearInterval(timer); }, []);

  const q = queue.data;
  const queued = new Set(q?.waiting.map((w) => String(w.conversationId)));
  // The unassigned rows someone waits on: an answered one without an owner is listed, but nobody waits on it.
  const waitingNow = (q?.waiting ?? []).filter((w) => w.waitingSince != null).length;
  const assignedBreaches = [...breaches].filter(([id]) => !queued.has(id));
  const dur = (seconds: number | null | undefined) => duration(seconds, lang);
  const waitOf = (seconds: number, at: number) => dur(plausibleWait(seconds, at, now));
  // Breached rows first (those need someone now), then the longest waiting.
  const rows = [...(q?.waiting ?? [])].sort((a, b) =>
    Number(breaches.has(String(b.conversationId))) - Number(breaches.has(String(a.conversationId))) || b.waitingSeconds - a.waitingSeconds);
  return (
    <div className="page supervisor">
      <div className="page-head"><h1>{t('supervisor')}</h1></div>
      <div className="cards">
        <section className="panel" aria-labelledby="queue-h">
          <h2 id="queue-h">{t('queue')}</h2>
          <ResourceStatus resource={queue} what="GET /api/stats/queue" />
          {q && (
            <>
              <p className="kpis">
                <span><strong data-testid="queue-waiting">{waitingNow}</strong> {t('waiting')}</span>
                <span><strong>{waitingNow === 0 ? '—' : waitOf(q.longestWaitSeconds, readAt)}</strong> {t('longestWait')}</span>
              </p>
              <ul className="queue" aria-labelledby="queue-h">
                {rows.map((w) => {
                  const breached = breaches.has(String(w.conversationId));
                  // Nobody waits on an answered conversation that lost its owner (or one not written in yet).
                  const wait = w.waitingSince == null ? t('queueAnswered') : waitOf(w.waitingSeconds, readAt);
                  return (
                    <li key={String(w.conversationId)} className={`queue-row ${breached ? 'breach' : ''}`} data-conversation-id={String(w.conversationId)}>
                      <span className="queue-top">
                        <Link to={`/inbox/${encodeURIComponent(String(w.conversationId))}`}>{w.contact?.name ?? `#${String(w.conversationId)}`}</Link>
                        <span className="muted">{typeof w.channel === 'string' ? w.channel : w.channel?.name} · {t('queueUnassigned')}</span>
                        <span data-testid="queue-wait">{wait}</span>
                      </span>
                      <span className="queue-preview muted">{w.preview || t('queueNoPreview')}</span>
                      {breached && <strong className="danger-text">{t('slaBreached', { wait })}</strong>}
                    </li>
                  );
                })}
                {q.waiting.length === 0 && <li className="muted">{t('nobodyWaiting')}</li>}
              </ul>
              {assignedBreaches.length > 0 && (
                <>
                  <h3>{t('slaBreaches')}</h3>
                  <ul className="queue breaches" aria-label={t('slaBreaches')}>
                    {assignedBreaches.map(([id, b]) => (
                      <li key={id} className="queue-row breach" data-conversation-id={id}>
                        <span className="queue-top">
                          <Link to={`/inbox/${encodeURIComponent(id)}`}>{b.contact?.name ?? `#${id}`}</Link>
                          {b.assignee && <span className="muted">{t('slaBreachAssigned', { name: b.assignee.name })}</span>}
                        </span>
                        {b.preview !== undefined && <span className="queue-preview muted">{b.preview || t('queueNoPreview')}</span>}
                        <strong className="danger-text">{t('slaBreached', { wait: waitOf(b.waited, b.readAt) })}</strong>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <h3>{t('onlineManagers')}</h3>
              <table>
                <thead><tr><th>{t('name')}</th><th>{t('openConversations')}</th></tr></thead>
                <tbody>{q.online.map((o) => <tr key={String(o.userId)}><td>{o.name}</td><td>{o.openConversations}</td></tr>)}</tbody>
              </table>
            </>
          )}
        </section>
        <section className="panel" aria-labelledby="times-h">
          <h2 id="times-h">{t('responseTimes')}</h2>
          <div className="row">
            <label>{t('from')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
            <label>{t('to')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
          </div>
          <ResourceStatus resource={times} what="GET /api/stats/response-times" />
          {times.data && (
            <>
              <StatsTable title={t('overall')} rows={[{ ...times.data.overall, name: t('overall') }]} />
              <StatsTable title={t('byManager')} rows={times.data.byUser} />
              <StatsTable title={t('byChannel')} rows={times.data.byChannel} />
            </>
          )}
          {!times.notAvailable && <Chart days={7} />}
        </section>
        <CsatTable from={from} to={to} />
        <section className="panel" aria-labelledby="calls-h">
          <h2 id="calls-h">{t('callStats')}</h2>
          <ResourceStatus resource={calls} what="GET /api/stats/calls" />
          {calls.data && (calls.data.managers.length === 0 ? <p className="muted">{t('callNoCalls')}</p> : (
            <table className="stats" data-testid="call-stats">
              <thead><tr><th>{t('name')}</th><th>{t('callAnswered')}</th><th>{t('callMissedCount')}</th><th>{t('callOutboundCount')}</th><th>{t('callTalkTime')}</th></tr></thead>
              <tbody>
                {calls.data.managers.map((m) => (
                  <tr key={String(m.userId)}><td>{m.name}</td><td>{m.answered}</td><td>{m.missed}</td><td>{m.outbound}</td><td>{duration(m.talkSeconds, lang)}</td></tr>
                ))}
              </tbody>
            </table>
          ))}
        </section>
      </div>
    </div>
  );
}

function rowName(r: StatsRow): string {
  return r.name || String(r.userId ?? r.channelId ?? '');
}

function StatsTable({ title, rows }: { title: string; rows: StatsRow[] }) {
  const { t, lang, locale } = useI18n();
  const dur = (seconds: number | null | undefined) => duration(seconds, lang);
  const share = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 0 }));
  const cellLabels = useCellLabels<HTMLTableElement>();
  return (
    <table className="stats stack-table" ref={cellLabels}>
      <caption>{title}</caption>
      <thead>
        <tr><th>{t('name')}</th><th>{t('count')}</th><th>{t('firstResponse')} {t('median')}</th><th>{t('firstResponse')} {t('p90')}</th>
          <th>{t('replyTime')} {t('median')}</th><th>{t('replyTime')} {t('p90')}</th><th>{t('withinTarget')}</th><th>{t('resolution')} {t('median')}</th></tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            <td>{rowName(r)}</td><td>{r.conversations}</td>
            <td>{dur(r.firstResponse?.median)}</td><td>{dur(r.firstResponse?.p90)}</td>
            <td>{dur(r.reply?.median)}</td><td>{dur(r.reply?.p90)}</td>
            <td>{share(r.firstResponse?.withinTargetShare)}</td>
            <td>{dur(r.resolution?.median)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Median first response per day over the last days: one response-times query per UTC day (TanStack Query's
 * `useQueries`, so each day is cached and re-read like the other server state), drawn with recharts. Each bar is a
 * `g.point` carrying its day and value, a day without events a bar of height 0.
 */
function Chart({ days }: { days: number }) {
  const { t, locale, lang } = useI18n();
  const start = new Date(); start.setUTCHours(0, 0, 0, 0);
  const dates = Array.from({ length: days }, (_, i) => new Date(start.getTime() - (days - 1 - i) * day));
  const results = useQueries({
    queries: dates.map((d) => {
      const range = { from: d.toISOString(), to: new Date(d.getTime() + day).toISOString() };
      return {
        queryKey: ['/api/stats/response-times', range],
        queryFn: ({ signal }: { signal: AbortSignal }) => body(client.GET('/api/stats/response-times', { params: { query: range }, signal }))
          .then((r) => r.overall?.firstResponse?.median ?? null)
          .catch((e) => { if (e instanceof ApiError) return null; throw e; }),
      };
    }),
  });
  if (results.some((r) => r.isPending)) return null;
  const points = dates.map((d, i) => {
    const value = results[i].data ?? null;
    return { day: isoDate(d), label: d.toLocaleDateString(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }), value, bar: value ?? 0 };
  });
  const max = Math.max(5, ...points.map((p) => p.bar)) * 1.15; // the slowest day fills the chart
  return (
    <figure className="chart">
      <figcaption>{t('chartTitle')}</figcaption>
      <div role="img" aria-label={t('chartTitle')} className="chart-box">
        <ResponsiveContainer width="100%" height={160}>
          <BarChart data={points} margin={{ left: 0, right: 0, top: 14, bottom: 0 }}>
            {/* Labels recharts cannot fit side by side (7 days at 390 px, Russian month names) are skipped, the first and last kept. */}
            <XAxis dataKey="label" tick={{ fontSize: 10 }} interval="preserveStartEnd" minTickGap={6} padding={{ left: 6, right: 6 }} />
            <YAxis hide domain={[0, max]} />
            <Bar dataKey="bar" isAnimationActive={false} shape={(props: unknown) => {
              const { x, y, width, height, index } = props as { x: number; y: number; width: number; height: number; index: number };
              const p = points[index];
              const h = p.value !== null ? Math.max(2, height) : 0;
              return (
                <g className="point" data-day={p.day} data-value={p.value ?? ''}>
                  <rect x={x} y={y + height - h} width={width} height={h} className="bar"><title>{`${p.label}: ${duration(p.value, lang)}`}</title></rect>
                  <text x={x + width / 2} y={y + height - h - 4} textAnchor="middle" fontSize="9">{p.value !== null ? duration(p.value, lang) : ''}</text>
                </g>
              );
            }} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

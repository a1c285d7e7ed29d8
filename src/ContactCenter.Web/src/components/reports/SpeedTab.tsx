import { useCellLabels } from '../../lib/cellLabels';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { query } from '../../lib/api';
import { fullTime } from '../../lib/format';
import { minutes, percent, periodQuery, type Period, type SpeedRow } from '../../lib/reports';
import { useApiGet } from '../../api/useApiGet';
import { useHubEvent, useJoined } from '../../live';
import { Link } from 'react-router';
import { ResourceStatus } from '../Status';
import { CsvButton } from './ReportBits';

const groupings = ['manager', 'source', 'channel'] as const;
const groupLabel = { manager: 'reportsByManager', source: 'reportsBySource', channel: 'reportsByChannel' } as const;
const emptyLabel = { manager: 'reportsUnassigned', source: 'reportsNoSource', channel: 'reportsNoConversation' } as const;

/**
 * Speed to lead: minutes from a lead's or deal's creation to the first human touch, and the untouched ones. The list is
 * live by re-reading (at most every two seconds) on the hub's existing events: a message, a deal or lead change.
 */
export function SpeedTab({ period }: { period: Period }) {
  const { t, locale } = useI18n();
  const cellLabels = useCellLabels<HTMLTableElement>();
  const [groupBy, setGroupBy] = useState<(typeof groupings)[number]>('manager');
  const path = `/api/reports/speed-to-lead${query({ ...periodQuery(period), groupBy })}`; // the CSV download's
  const report = useApiGet('/api/reports/speed-to-lead', { params: { query: { ...periodQuery(period), groupBy } } }, { before: useJoined() });
  const timer = useRef<number | null>(null);
  const reloadSoon = () => {
    if (timer.current !== null) return;
    timer.current = window.setTimeout(() => { timer.current = null; void report.reload(); }, 2000);
  };
  useEffect(() => () => { if (timer.current !== null) window.clearTimeout(timer.current); }, []);
  useHubEvent('messageCreated', reloadSoon);
  useHubEvent('dealUpdated', reloadSoon);
  useHubEvent('leadUpdated', reloadSoon);
  useHubEvent('resync', reloadSoon);
  const r = report.data;
  return (
    <section aria-label={t('reportsSpeed')}>
      <div className="report-filters">
        <div role="group" className="segmented" aria-label={t('reportsGroupBy')}>
          {groupings.map((g) => (
            <button key={g} type="button" aria-pressed={groupBy === g} className={groupBy === g ? 'active' : ''} onClick={() => setGroupBy(g)}>{t(groupLabel[g])}</button>
          ))}
        </div>
        <CsvButton path={path} fileName={`speed-to-lead-by-${groupBy}.csv`} />
      </div>
      <ResourceStatus resource={report} what="GET /api/reports/speed-to-lead" />
      {r && (
        <>
          <p className="kpis">
            <span><strong data-testid="speed-median">{minutes(r.overall.medianMinutes, locale)}</strong> {t('reportsMedianMinutes')}</span>
            <span><strong>{minutes(r.overall.p90Minutes, locale)}</strong> {t('reportsP90Minutes')}</span>
            <span><strong>{percent(r.overall.withinFiveMinutesShare, locale)}</strong> {t('reportsWithinFive')}</span>
          </p>
          <div className="table-scroll">
            <table className="report-table stack-table" data-testid="speed-table" ref={cellLabels}>
              <thead><tr><th>{t(groupLabel[groupBy])}</th><th>{t('reportsReceived')}</th><th>{t('reportsTouched')}</th><th>{t('reportsMedianMinutes')}</th>
                <th>{t('reportsP90Minutes')}</th><th>{t('reportsWithinFive')}</th></tr></thead>
              <tbody>{r.rows.map((row) => <Row key={row.key} row={row} label={row.key !== '' ? row.label : t(emptyLabel[groupBy])} />)}</tbody>
            </table>
          </div>
          <h3>{t('reportsUntouched', { count: r.untouched.length })}</h3>
          <ul className="untouched" data-testid="speed-untouched">
            {r.untouched.map((u) => (
              <li key={`${u.kind}-${u.id}`} data-kind={u.kind} data-id={u.id}>
                <Link to={u.kind === 'deal' ? `/deals/${u.id}` : `/leads/${u.id}`}>{u.title}</Link>
                <span className="muted">{t(u.kind === 'deal' ? 'reportsDeal' : 'reportsLead')} · {fullTime(u.createdAt, locale)} · {u.assigneeName ?? t('reportsUnassigned')}</span>
              </li>
            ))}
            {r.untouched.length === 0 && <li className="muted">{t('reportsAllTouched')}</li>}
          </ul>
        </>
      )}
    </section>
  );
}

function Row({ row, label }: { row: SpeedRow; label: string }) {
  const { locale } = useI18n();
  return (
    <tr data-key={row.key}>
      <td>{label}</td><td>{row.count}</td><td>{row.touched}</td><td>{minutes(row.medianMinutes, locale)}</td><td>{minutes(row.p90Minutes, locale)}</td><td>{percent(row.withinFiveMinutesShare, locale)}</td>
    </tr>
  );
}

import { useCellLabels } from '../../lib/cellLabels';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../i18n';
import { query } from '../../lib/api';
import { money, moneyByCurrency } from '../../lib/format';
import { currencySeries, percent, periodQuery, type Period } from '../../lib/reports';
import { useApiGet } from '../../api/useApiGet';
import { ResourceStatus } from '../Status';
import { CsvButton } from './ReportBits';

const groupings = ['manager', 'source', 'month'] as const;
const groupLabel = { manager: 'reportsByManager', source: 'reportsBySource', month: 'reportsByMonth' } as const;
const barColours = ['#2f9e6e', '#3b6fd4', '#d98c2b', '#8a5cc2', '#c2475c'];

/** Won deals per manager, source or month: count, sum, average, win rate and median cycle. */
export function SalesTab({ period }: { period: Period }) {
  const { t, locale } = useI18n();
  const cellLabels = useCellLabels<HTMLTableElement>();
  const [groupBy, setGroupBy] = useState<(typeof groupings)[number]>('manager');
  const path = `/api/reports/sales${query({ ...periodQuery(period), groupBy })}`; // the CSV download's
  const sales = useApiGet('/api/reports/sales', { params: { query: { ...periodQuery(period), groupBy } } });
  const rows = sales.data?.rows ?? [];
  // The chart's groups are named as the table names them (the server's "Unassigned" is the UI's words).
  const named = (r: (typeof rows)[number]) => (r.key === '' ? t(groupBy === 'manager' ? 'reportsUnassigned' : 'reportsNoSource') : r.label);
  const chart = currencySeries(rows.map((r) => ({ ...r, label: named(r) })), (r) => r.sumByCurrency);
  return (
    <section aria-label={t('reportsSales')}>
      <div className="report-filters">
        <div role="group" className="segmented" aria-label={t('reportsGroupBy')}>
          {groupings.map((g) => (
            <button key={g} type="button" aria-pressed={groupBy === g} className={groupBy === g ? 'active' : ''} onClick={() => setGroupBy(g)}>{t(groupLabel[g])}</button>
          ))}
        </div>
        <CsvButton path={path} fileName={`sales-by-${groupBy}.csv`} />
      </div>
      <ResourceStatus resource={sales} what="GET /api/reports/sales" />
      {sales.data && rows.length === 0 && <p className="muted">{t('reportsNothing')}</p>}
      {rows.length > 0 && (
        <>
          <div className="report-chart">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={chart.data} margin={{ left: 0, right: 8, top: 4, bottom: 4 }}>
                <CartesianGrid vertical={false} strokeDasharray="3 3" />
                <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} />
                <YAxis width={56} tick={{ fontSize: 11 }} />
                <Tooltip formatter={(v, currency) => [money(Number(v), locale, String(currency)), t('reportsSum')]} />
                {/* One bar per currency: amounts of different currencies are never added. */}
                {chart.currencies.length > 1 && <Legend />}
                {chart.currencies.map((c, i) => <Bar key={c} dataKey={c} name={c} fill={barColours[i % barColours.length]} isAnimationActive={false} />)}
              </BarChart>
            </ResponsiveContainer>
          </div>
          <div className="table-scroll">
            <table className="report-table stack-table" data-testid="sales-table" ref={cellLabels}>
              <thead><tr><th>{t(groupLabel[groupBy])}</th><th>{t('reportsCount')}</th><th>{t('reportsSum')}</th><th>{t('reportsAverage')}</th><th>{t('reportsWinRate')}</th><th>{t('reportsCycle')}</th></tr></thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key} data-key={r.key}>
                    <td>{r.key === '' ? t(groupBy === 'manager' ? 'reportsUnassigned' : 'reportsNoSource') : r.label}</td><td>{r.count}</td><td>{moneyByCurrency(r.sumByCurrency, locale)}</td><td>{r.count === 0 ? '—' : moneyByCurrency(r.averageByCurrency, locale)}</td><td>{percent(r.winRate, locale)}</td>
                    <td>{r.cycleTimeDays === null ? '—' : t('reportsDays', { days: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(r.cycleTimeDays) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

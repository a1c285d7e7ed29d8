import { useCellLabels } from '../../lib/cellLabels';
import { useI18n } from '../../i18n';
import { query } from '../../lib/api';
import { duration, moneyByCurrency } from '../../lib/format';
import { periodQuery, type Period } from '../../lib/reports';
import { useApiGet } from '../../api/useApiGet';
import { ResourceStatus } from '../Status';
import { CsvButton } from './ReportBits';

/** Per manager: first response median and p90, activities done and overdue, deals won. */
export function EfficiencyTab({ period }: { period: Period }) {
  const { t, lang, locale } = useI18n();
  const cellLabels = useCellLabels<HTMLTableElement>();
  const params = periodQuery(period);
  const path = `/api/reports/efficiency${query(params)}`; // the CSV download's
  const report = useApiGet('/api/reports/efficiency', { params: { query: params } });
  const rows = report.data?.rows ?? [];
  return (
    <section aria-label={t('reportsEfficiency')}>
      <div className="report-filters"><CsvButton path={path} fileName="efficiency.csv" /></div>
      <ResourceStatus resource={report} what="GET /api/reports/efficiency" />
      {report.data && rows.length === 0 && <p className="muted">{t('reportsNothing')}</p>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="report-table stack-table" data-testid="efficiency-table" ref={cellLabels}>
            <thead><tr><th>{t('reportsManager')}</th><th>{t('reportsFirstResponse')}</th><th>{t('reportsP90')}</th><th>{t('reportsActivitiesDone')}</th>
              <th>{t('reportsActivitiesOverdue')}</th><th>{t('reportsDealsWon')}</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.userId} data-user-id={r.userId}>
                  <td>{r.name}</td><td>{duration(r.firstResponseMedianSeconds, lang)}</td><td>{duration(r.firstResponseP90Seconds, lang)}</td>
                  <td>{r.activitiesDone}</td><td className={r.activitiesOverdue > 0 ? 'danger-text' : ''}>{r.activitiesOverdue}</td>
                  <td>{r.dealsWon} · {moneyByCurrency(r.dealsWonByCurrency, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

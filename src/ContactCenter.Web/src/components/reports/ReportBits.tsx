import { useState } from 'react';
import { useI18n } from '../../i18n';
import { describeError } from '../../lib/errors';
import { downloadCsv, type Period } from '../../lib/reports';

/** The period of a report: two dates, both included. */
export function PeriodPicker({ period, onChange }: { period: Period; onChange: (p: Period) => void }) {
  const { t } = useI18n();
  return (
    <div className="report-filters" role="group" aria-label={t('reportsPeriod')}>
      <label>{t('reportsFrom')} <input type="date" value={period.from} max={period.to} data-testid="report-from"
        onChange={(e) => e.target.value && onChange({ ...period, from: e.target.value })} /></label>
      <label>{t('reportsTo')} <input type="date" value={period.to} min={period.from} data-testid="report-to"
        onChange={(e) => e.target.value && onChange({ ...period, to: e.target.value })} /></label>
    </div>
  );
}

/** Downloads what the tab shows as CSV (same URL, `format=csv`). */
export function CsvButton({ path, fileName }: { path: string; fileName: string }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button type="button" className="csv-button" data-testid="report-csv"
        onClick={() => { setError(null); downloadCsv(path, fileName).catch((e: unknown) => setError(describeError(e))); }}>{t('reportsCsv')}</button>
      {error && <span className="error" role="alert">{error}</span>}
    </>
  );
}

import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { body, client } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { query } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { money, moneyByCurrency } from '../../lib/format';
import { currentMonth, percent, type PlanRow } from '../../lib/reports';
import { useHubEvent } from '../../live';
import { useMe } from '../../session';
import { ResourceStatus } from '../Status';
import { CsvButton } from './ReportBits';

/**
 * Each manager's monthly plan: won so far against the plan as a bar, and the linear forecast for the month. A supervisor
 * or admin edits the amounts in place. Re-read when a deal changes (a win moves the bar).
 */
export function PlanTab() {
  const { t, locale } = useI18n();
  const [month, setMonth] = useState(currentMonth);
  const path = `/api/reports/plan${query({ month })}`; // the CSV download's
  const plan = useApiGet('/api/reports/plan', { params: { query: { month } } });
  const me = useMe();
  const canEdit = me.role === 'admin' || me.role === 'supervisor';
  useHubEvent('dealUpdated', () => { void plan.reload(); });
  useHubEvent('resync', () => { void plan.reload(); });
  const p = plan.data;
  return (
    <section aria-label={t('reportsPlan')}>
      <div className="report-filters">
        <label>{t('reportsMonth')} <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} data-testid="plan-month" /></label>
        <CsvButton path={path} fileName={`plan-${month}.csv`} />
      </div>
      <ResourceStatus resource={plan} what="GET /api/reports/plan" />
      {p && (
        <>
          <p className="muted">{t('reportsDaysElapsed', { elapsed: p.daysElapsed, days: p.daysInMonth })}</p>
          <ul className="plan-rows">
            {p.rows.map((r) => <PlanItem key={r.userId} row={r} month={p.month} currency={r.currency ?? p.currency ?? 'USD'} canEdit={canEdit} locale={locale} onSaved={() => void plan.reload()} />)}
            {p.rows.length === 0 && <li className="muted">{t('reportsNothing')}</li>}
          </ul>
        </>
      )}
    </section>
  );
}

function PlanItem({ row, month, currency, canEdit, locale, onSaved }: { row: PlanRow; month: string; currency: string; canEdit: boolean; locale: string; onSaved: () => void }) {
  const { t } = useI18n();
  const [amount, setAmount] = useState(row.plan === null ? '' : String(row.plan));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => setAmount(row.plan === null ? '' : String(row.plan)), [row.plan]);
  async function save() {
    setError(null);
    setSaving(true);
    try {
      const params = { path: { userId: Number(row.userId), month } };
      // An emptied amount removes the plan (a plan set by mistake stayed in the report for good).
      if (amount.trim() === '') await body(client.DELETE('/api/sales-plans/{userId}/{month}', { params }));
      else await body(client.PUT('/api/sales-plans/{userId}/{month}', { params, body: { amount: Number(amount) } }));
      onSaved();
    } catch (e) { setError(describeError(e)); } finally { setSaving(false); }
  }
  const progress = row.progress ?? 0;
  const forecastShare = row.plan ? row.forecast / row.plan : null;
  return (
    <li className="plan-row" data-user-id={row.userId}>
      <div className="plan-head">
        <strong>{row.name}</strong>
        <span data-testid="plan-won">{t('reportsWonOfPlan', { won: money(row.won, locale, currency), plan: row.plan === null ? '—' : money(row.plan, locale, currency) })}</span>
        <span className="muted" data-testid="plan-progress">{percent(row.progress, locale)}</span>
      </div>
      <div className="progress" role="progressbar" aria-label={t('reportsProgressOf', { name: row.name })} aria-valuemin={0} aria-valuemax={100}
        aria-valuenow={Math.round(progress * 100)}>
        <span className={`progress-fill ${progress >= 1 ? 'done' : ''}`} style={{ width: `${Math.min(100, progress * 100)}%` }} />
        {forecastShare !== null && <span className="progress-forecast" style={{ left: `${Math.min(100, forecastShare * 100)}%` }} title={t('reportsForecast')} />}
      </div>
      <div className="plan-foot">
        <span data-testid="plan-forecast">{t('reportsForecastIs', { amount: money(row.forecast, locale, currency) })}{forecastShare !== null ? ` (${percent(forecastShare, locale)})` : ''}</span>
        {canEdit && (
          <form className="plan-edit" onSubmit={(e) => { e.preventDefault(); void save(); }}>
            <label>{t('reportsPlanAmount', { currency })}
              <input type="number" min={0} step="0.01" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="plan-amount" />
            </label>
            <button type="submit" disabled={saving} data-testid="plan-save">{t('reportsSavePlan')}</button>
          </form>
        )}
      </div>
      {(row.wonOther?.length ?? 0) > 0 && (
        <p className="muted" data-testid="plan-won-other">{t('reportsWonOther', { amount: moneyByCurrency(row.wonOther, locale) })}</p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </li>
  );
}

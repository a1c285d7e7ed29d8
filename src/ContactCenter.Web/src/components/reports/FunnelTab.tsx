import { useCellLabels } from '../../lib/cellLabels';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../i18n';
import { query } from '../../lib/api';
import { moneyByCurrency } from '../../lib/format';
import { percent, periodQuery, type Period } from '../../lib/reports';
import { ResourceStatus } from '../Status';
import { CsvButton } from './ReportBits';
import { useApiGet } from '../../api/useApiGet';
import { catalogName } from '../cards/cardTypes';
import type { Id } from '../../types';

/** Per stage: deals that reached it (bars), entered it, conversion to the next step; won, lost and why. */
export function FunnelTab({ period }: { period: Period }) {
  const { t, locale, lang } = useI18n();
  const cellLabels = useCellLabels<HTMLTableElement>();
  const pipelines = useApiGet('/api/pipelines');
  const reasons = useApiGet('/api/loss-reasons');
  // A reason's name in the screen's language: the report names it as stored (English for the seeded ones).
  const reasonName = (r: { id?: Id | null; name: string }) => {
    const known = reasons.data?.find((x) => r.id != null && String(x.id) === String(r.id));
    return known ? catalogName(known, lang) : r.name;
  };
  const users = useApiGet('/api/users');
  const [pipelineId, setPipelineId] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const [source, setSource] = useState('');
  const path = `/api/reports/funnel${query({ ...periodQuery(period), pipelineId, assigneeId, source: source.trim() })}`; // the CSV download's
  const funnel = useApiGet('/api/reports/funnel', { params: { query: {
    ...periodQuery(period), pipelineId: pipelineId ? Number(pipelineId) : undefined, assigneeId: assigneeId ? Number(assigneeId) : undefined,
    source: source.trim() || undefined,
  } } });
  const f = funnel.data;
  const path2 = (f?.stages ?? []).filter((s) => s.semantic !== 'lost');
  return (
    <section aria-label={t('reportsFunnel')}>
      <div className="report-filters">
        <label>{t('reportsPipeline')}
          <select value={pipelineId} onChange={(e) => setPipelineId(e.target.value)} data-testid="funnel-pipeline">
            <option value="">{t('reportsDefaultPipeline')}</option>
            {(pipelines.data ?? []).map((p) => <option key={String(p.id)} value={String(p.id)}>{p.name}</option>)}
          </select>
        </label>
        <label>{t('reportsManager')}
          <select value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)} data-testid="funnel-manager">
            <option value="">{t('reportsAllManagers')}</option>
            {(users.data ?? []).map((u) => <option key={String(u.id)} value={String(u.id)}>{u.name}</option>)}
          </select>
        </label>
        <label>{t('reportsSource')}
          <input value={source} onChange={(e) => setSource(e.target.value)} placeholder={t('reportsAnySource')} data-testid="funnel-source" />
        </label>
        <CsvButton path={path} fileName="funnel.csv" />
      </div>
      <ResourceStatus resource={funnel} what="GET /api/reports/funnel" />
      {f && (
        <>
          <p className="kpis">
            <span><strong data-testid="funnel-won">{f.won.count}</strong> {t('reportsWon')} · {moneyByCurrency(f.won.amountByCurrency, locale)}</span>
            <span><strong data-testid="funnel-lost">{f.lost.count}</strong> {t('reportsLost')} · {moneyByCurrency(f.lost.amountByCurrency, locale)}</span>
          </p>
          <div className="report-chart" data-testid="funnel-chart">
            <ResponsiveContainer width="100%" height={Math.max(160, path2.length * 44)}>
              <BarChart data={path2} layout="vertical" margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
                <CartesianGrid horizontal={false} strokeDasharray="3 3" />
                <XAxis type="number" allowDecimals={false} />
                <YAxis type="category" dataKey="name" width={96} tick={{ fontSize: 12 }} />
                <Tooltip formatter={(v) => [String(v), t('reportsReached')]} />
                <Bar dataKey="reached" fill="#3b6fd4" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <div className="table-scroll">
            <table className="report-table stack-table" data-testid="funnel-table" ref={cellLabels}>
              <thead><tr><th>{t('reportsStage')}</th><th>{t('reportsReached')}</th><th>{t('reportsEntered')}</th><th>{t('reportsAmount')}</th><th>{t('reportsConversion')}</th></tr></thead>
              <tbody>
                {f.stages.map((s) => (
                  <tr key={s.stageId} data-stage={s.name} className={s.semantic}>
                    <td>{s.name}</td><td>{s.reached}</td><td>{s.entered}</td><td>{moneyByCurrency(s.reachedAmountByCurrency, locale)}</td><td>{percent(s.conversionToNext, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {f.lossReasons.length > 0 && (
            <>
              <h3>{t('reportsLossReasons')}</h3>
              <ul className="loss-reasons">
                {f.lossReasons.map((r) => <li key={`${r.id ?? 'none'}-${r.name}`}><span>{reasonName(r)}</span><strong>{r.count}</strong><span className="muted">{moneyByCurrency(r.amountByCurrency, locale)}</span></li>)}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

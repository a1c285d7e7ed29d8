import { useState } from 'react';
import { EfficiencyTab } from '../components/reports/EfficiencyTab';
import { FunnelTab } from '../components/reports/FunnelTab';
import { PlanTab } from '../components/reports/PlanTab';
import { SalesTab } from '../components/reports/SalesTab';
import { SpeedTab } from '../components/reports/SpeedTab';
import { PeriodPicker } from '../components/reports/ReportBits';
import '../components/reports/reports.css';
import { PageMissing } from '../components/PageMissing';
import { useI18n } from '../i18n';
import { defaultPeriod, type Period } from '../lib/reports';
import { useNavigate, useParams } from 'react-router';

const tabs = ['funnel', 'sales', 'plan', 'efficiency', 'speed'] as const;
type Tab = (typeof tabs)[number];
const tabLabel = { funnel: 'reportsFunnel', sales: 'reportsSales', plan: 'reportsPlan', efficiency: 'reportsEfficiency', speed: 'reportsSpeed' } as const;

/** Sales reports (issue #17) for supervisors and admins; the tab is in the path (/reports/sales) so a reload keeps it. */
export function ReportsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const asked = useParams().tab as Tab | undefined;
  const tab: Tab = asked && tabs.includes(asked) ? asked : 'funnel';
  // One period for every tab but the plan (which is per month).
  const [period, setPeriod] = useState<Period>(defaultPeriod);
  // A tab that does not exist (/admin/nope): said so, not the first tab under a wrong address.
  if (asked && !tabs.includes(asked)) return <PageMissing />;
  return (
    <div className="page reports">
      <div className="page-head"><h1>{t('reports')}</h1></div>
      <div role="tablist" className="views" aria-label={t('reports')}>
        {tabs.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} data-tab={k}
            onClick={() => navigate(`/reports/${k}`)}>{t(tabLabel[k])}</button>
        ))}
      </div>
      {tab !== 'plan' && <PeriodPicker period={period} onChange={setPeriod} />}
      <div role="tabpanel" className="report-panel">
        {tab === 'funnel' && <FunnelTab period={period} />}
        {tab === 'sales' && <SalesTab period={period} />}
        {tab === 'plan' && <PlanTab />}
        {tab === 'efficiency' && <EfficiencyTab period={period} />}
        {tab === 'speed' && <SpeedTab period={period} />}
      </div>
    </div>
  );
}

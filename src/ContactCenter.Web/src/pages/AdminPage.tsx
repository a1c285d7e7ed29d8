import { PageMissing } from '../components/PageMissing';
import { useI18n } from '../i18n';
import { useNavigate, useParams } from 'react-router';
import { AuditTab } from './admin/AuditTab';
import { AutomationTab } from './admin/AutomationTab';
import { CrmModeTab } from './admin/CrmModeTab';
import { CatalogTab } from './admin/CatalogTab';
import { PipelinesTab } from './admin/PipelinesTab';
import { LabelsTab } from './admin/LabelsTab';
import { CustomFieldsTab } from './admin/CustomFieldsTab';
import { ChannelsTab } from './admin/channels/ChannelsTab';
import { UsersTab } from './admin/UsersTab';

const tabs = ['channels', 'users', 'pipelines', 'lossReasons', 'leadStatuses', 'junkReasons', 'automation', 'crmMode', 'labels', 'customFields', 'audit'] as const;
type Tab = (typeof tabs)[number];

export function AdminPage() {
  const { t } = useI18n();
  // The tab is in the path (/admin/users, /admin/audit) so that it survives a reload and can be linked to.
  const navigate = useNavigate();
  const asked = useParams().tab as Tab | undefined;
  const tab: Tab = asked && tabs.includes(asked) ? asked : 'channels';
  // A tab that does not exist (/admin/nope): said so, not the first tab under a wrong address.
  if (asked && !tabs.includes(asked)) return <PageMissing />;
  return (
    <div className="page admin">
      <div className="page-head"><h1>{t('admin')}</h1></div>
      <div role="tablist" className="views" aria-label={t('admin')}>
        {tabs.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => navigate(`/admin/${k}`)}>{t(k)}</button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'channels' && <ChannelsTab />}
        {tab === 'users' && <UsersTab />}
        {tab === 'pipelines' && <PipelinesTab />}
        {tab === 'lossReasons' && <CatalogTab key="lossReasons" kind="lossReasons" />}
        {tab === 'leadStatuses' && <CatalogTab key="leadStatuses" kind="leadStatuses" />}
        {tab === 'junkReasons' && <CatalogTab key="junkReasons" kind="junkReasons" />}
        {tab === 'automation' && <AutomationTab />}
        {tab === 'crmMode' && <CrmModeTab />}
        {tab === 'labels' && <LabelsTab />}
        {tab === 'customFields' && <CustomFieldsTab />}
        {tab === 'audit' && <AuditTab />}
      </div>
    </div>
  );
}

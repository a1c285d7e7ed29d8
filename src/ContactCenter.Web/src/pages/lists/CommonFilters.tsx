import { useI18n } from '../../i18n';
import type { UserListItem } from '../../types';

type Props = { filters: Record<string, string>; set: (key: string, value: string) => void };

/** The filters both list views share: assignee (anyone, me, nobody, a user) and the creation date range. */
export function AssigneeAndCreated({ filters, set, users }: Props & { users: UserListItem[] }) {
  const { t } = useI18n();
  return (
    <>
      <label className="filter">{t('assignee')}
        <select value={filters.assigneeId ?? ''} onChange={(e) => set('assigneeId', e.target.value)}>
          <option value="">{t('allAssignees')}</option>
          <option value="me">{t('assignedToMe')}</option>
          <option value="none">{t('unassigned')}</option>
          {users.map((u) => <option key={String(u.id)} value={String(u.id)}>{u.name}</option>)}
        </select>
      </label>
      <DateFilter filters={filters} set={set} name="createdFrom" label={t('createdFrom')} />
      <DateFilter filters={filters} set={set} name="createdTo" label={t('createdTo')} />
    </>
  );
}

export function DateFilter({ filters, set, name, label }: Props & { name: string; label: string }) {
  return <label className="filter">{label}<input type="date" value={filters[name] ?? ''} onChange={(e) => set(name, e.target.value)} /></label>;
}

/** "Only with an overdue activity". */
export function OverdueFilter({ filters, set }: Props) {
  const { t } = useI18n();
  return <label className="filter check"><input type="checkbox" checked={filters.overdue === 'true'} onChange={(e) => set('overdue', e.target.checked ? 'true' : '')} />{t('overdueOnly')}</label>;
}

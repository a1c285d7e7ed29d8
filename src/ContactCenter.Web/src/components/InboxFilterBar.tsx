import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { body, client } from '../api/client';
import type { ListFilter, ListSort } from '../lib/inboxList';
import { useMe } from '../session';
import type { UserListItem } from '../types';
import './inboxFilters.css';

const Statuses = ['open', 'pending', 'snoozed', 'resolved', ''] as const;
const Sorts: ListSort[] = ['newest', 'oldest', 'waiting'];

interface Props { filter: ListFilter; onChange: (patch: Partial<ListFilter>) => void }

/**
 * The inbox's filter bar (issue #16): status tabs, then assignee (supervisors and admins), last-activity dates, unread
 * only and the sort. On a phone the second row folds behind a toggle.
 */
export function InboxFilterBar({ filter, onChange }: Props) {
  const { t } = useI18n();
  const me = useMe();
  const staff = me.role === 'admin' || me.role === 'supervisor';
  const [users, setUsers] = useState<UserListItem[]>([]);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (staff) body(client.GET('/api/users')).then(setUsers).catch(() => setUsers([]));
  }, [staff]);
  const active = !!(filter.assigneeId || filter.from || filter.to || filter.unread || (filter.sort && filter.sort !== 'newest'));

  return (
    <div className="inbox-filter-bar">
      <div role="tablist" aria-label={t('statusTabs')} className="status-tabs">
        {Statuses.map((s) => (
          <button key={s || 'all'} role="tab" type="button" aria-selected={filter.status === s} data-status={s || 'all'}
            className={filter.status === s ? 'active' : ''} onClick={() => onChange({ status: s })}>
            {s ? t(`status_${s}`) : t('statusAll')}
          </button>
        ))}
      </div>
      <button type="button" className={`filters-toggle ${active ? 'has-filters' : ''}`} aria-expanded={open} aria-controls="inbox-more-filters"
        onClick={() => setOpen((o) => !o)}>
        {open ? t('filtersHide') : t('filtersShow')}{active ? ' •' : ''}
      </button>
      <div id="inbox-more-filters" className={`more-filters ${open ? 'open' : ''}`} role="group" aria-label={t('filters')}>
        {staff && (
          <label>
            <span>{t('assigneeFilter')}</span>
            <select value={filter.assigneeId ?? ''} onChange={(e) => onChange({ assigneeId: e.target.value })}>
              <option value="">{t('anyAssignee')}</option>
              <option value="unassigned">{t('assigneeUnassigned')}</option>
              <option value={String(me.id)}>{t('assigneeMe')}</option>
              {users.filter((u) => String(u.id) !== String(me.id)).map((u) => (
                <option key={String(u.id)} value={String(u.id)}>{u.isActive ? u.name : t('userDeactivatedName', { name: u.name })}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          <span>{t('dateFrom')}</span>
          <input type="date" value={filter.from ?? ''} max={filter.to || undefined} onChange={(e) => onChange({ from: e.target.value })} />
        </label>
        <label>
          <span>{t('dateTo')}</span>
          <input type="date" value={filter.to ?? ''} min={filter.from || undefined} onChange={(e) => onChange({ to: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={!!filter.unread} onChange={(e) => onChange({ unread: e.target.checked })} />
          <span>{t('unreadOnly')}</span>
        </label>
        <label>
          <span>{t('sortLabel')}</span>
          <select value={filter.sort ?? 'newest'} onChange={(e) => onChange({ sort: e.target.value as ListSort })}>
            {Sorts.map((s) => <option key={s} value={s}>{t(`sort_${s}`)}</option>)}
          </select>
        </label>
      </div>
    </div>
  );
}

import { useMemo, useState } from 'react';
import { ResourceStatus } from '../../../components/Status';
import { useI18n } from '../../../i18n';
import { useApiGet } from '../../../api/useApiGet';

/**
 * The managers who are members of a channel: search, tick, "add all managers" (one server request, so it is one
 * audited change). Admins and supervisors see every channel and are not listed.
 */
export function MembersPicker({ selected, onChange, onAddAll, busy }: {
  selected: ReadonlySet<string>; onChange: (next: Set<string>) => void; onAddAll: () => Promise<void>; busy?: boolean;
}) {
  const { t } = useI18n();
  const users = useApiGet('/api/users');
  const [q, setQ] = useState('');
  const managers = useMemo(() => (users.data ?? []).filter((u) => u.role === 'manager' && u.isActive), [users.data]);
  const needle = q.trim().toLowerCase();
  const shown = managers.filter((u) => !needle || u.name.toLowerCase().includes(needle) || u.email.toLowerCase().includes(needle));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id); else next.delete(id);
    onChange(next);
  };
  const count = managers.filter((u) => selected.has(String(u.id))).length;
  return (
    <div className="members-picker">
      <p className="muted">{t('chMembersIntro')}</p>
      <ResourceStatus resource={users} what="GET /api/users" />
      <div className="row">
        <input type="search" aria-label={t('chMembersSearch')} placeholder={t('chMembersSearch')} value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="button" className="primary" disabled={busy || managers.length === 0} onClick={() => void onAddAll()}>{t('chAddAllManagers')}</button>
        <button type="button" disabled={busy || count === 0} onClick={() => onChange(new Set([...selected].filter((id) => !managers.some((u) => String(u.id) === id))))}>
          {t('chClearMembers')}
        </button>
        <span className="muted" role="status">{t('chMembersCount', { count })}</span>
      </div>
      {users.data && managers.length === 0 && <p className="muted">{t('chNoManagers')}</p>}
      <ul className="member-list">
        {shown.map((u) => {
          const id = String(u.id);
          return (
            <li key={id} data-user-id={id}>
              <label className="toggle">
                <input type="checkbox" checked={selected.has(id)} aria-label={t('chMemberToggle', { name: u.name })}
                  onChange={(e) => toggle(id, e.target.checked)} />
                <span>{u.name}</span> <span className="muted wrap-anywhere">{u.email}</span>
              </label>
            </li>
          );
        })}
      </ul>
      {users.data && count === 0 && managers.length > 0 && <p className="notice" role="note">{t('chMembersNone')}</p>}
    </div>
  );
}

import { useState } from 'react';
import { ResourceStatus } from '../../components/Status';
import { useI18n } from '../../i18n';
import { body, client } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { describeError, explain } from '../../lib/errors';
import { useMe } from '../../session';
import { sameId, type Id, type Role, type UserListItem } from '../../types';
import { ConfirmDialog, RenameDialog, ResetPasswordDialog, type Outcome } from './UserDialogs';
import { WorkingHoursDialog } from './WorkingHoursDialog';

type Open = { kind: 'rename' | 'password' | 'deactivate' | 'reactivate' | 'hours'; user: UserListItem };
const roles = ['manager', 'supervisor', 'admin'] as const;

/** Users with their lifecycle: rename, role, deactivate / reactivate, password reset, channel membership. */
export function UsersTab() {
  const { t } = useI18n();
  const me = useMe();
  const users = useApiGet('/api/users');
  const channels = useApiGet('/api/channels');
  const [form, setForm] = useState({ email: '', name: '', role: 'manager' as Role, password: '' });
  const [error, setError] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: Id; text: string } | null>(null);
  const [rowDone, setRowDone] = useState<{ id: Id; text: string } | null>(null);
  const [pendingRole, setPendingRole] = useState<{ id: Id; role: Role } | null>(null);
  const [open, setOpen] = useState<Open | null>(null);

  /** PATCHes a user; the answer replaces the row at once (then the list is re-read for anything else that moved). */
  async function patch(user: UserListItem, changes: { name?: string; role?: Role; isActive?: boolean }): Outcome {
    setRowError(null); setRowDone(null);
    try {
      const updated = await body(client.PATCH('/api/users/{id}', { params: { path: { id: Number(user.id) } }, body: changes }));
      users.set((list) => list?.map((u) => (sameId(u.id, user.id) ? { ...u, ...updated } : u)) ?? null);
      void users.reload();
      return null;
    } catch (e) {
      return explain(e, t, { 409: 'lastAdmin', 404: 'userGone' });
    }
  }
  async function changeRole(user: UserListItem, role: Role) {
    setPendingRole({ id: user.id, role });
    const problem = await patch(user, { role });
    setPendingRole(null);
    if (problem) setRowError({ id: user.id, text: problem });
    else setRowDone({ id: user.id, text: t('roleChanged', { name: user.name, role: t(`role_${role}`) }) });
  }
  async function resetPassword(user: UserListItem, password: string): Outcome {
    setRowError(null); setRowDone(null);
    try {
      await client.POST('/api/users/{id}/password', { params: { path: { id: Number(user.id) } }, body: { password } });
      setRowDone({ id: user.id, text: t('passwordReset', { name: user.name }) });
      return null;
    } catch (e) {
      return explain(e, t, { 404: 'userGone' });
    }
  }
  async function setMember(channelId: Id, userId: Id, on: boolean) {
    try {
      const path = { id: Number(channelId), userId: Number(userId) };
      if (on) await client.POST('/api/channels/{id}/members', { params: { path }, body: { userId: path.userId } });
      else await client.DELETE('/api/channels/{id}/members/{userId}', { params: { path } });
      void users.reload();
    } catch (e) { setError(describeError(e)); }
  }
  async function create() {
    try { setError(null); await client.POST('/api/users', { body: form }); setForm({ email: '', name: '', role: 'manager', password: '' }); void users.reload(); }
    catch (e) { setError(describeError(e)); }
  }

  return (
    <>
      <ResourceStatus resource={users} what="GET /api/users" />
      <table className="stats users stack-table">
        <thead><tr><th>{t('name')}</th><th>{t('email')}</th><th>{t('role')}</th><th>{t('userStatus')}</th><th>{t('members')}</th><th>{t('actions')}</th></tr></thead>
        <tbody>
          {(users.data ?? []).map((u) => {
            const self = sameId(u.id, me.id);
            const role = pendingRole && sameId(pendingRole.id, u.id) ? pendingRole.role : u.role;
            return (
              <tr key={String(u.id)} data-user-id={String(u.id)} className={u.isActive ? '' : 'inactive'}>
                <td data-label={t('name')}><strong>{u.name}</strong>{self && <span className="muted"> ({t('you')})</span>}</td>
                <td data-label={t('email')} className="wrap-anywhere">{u.email}</td>
                <td data-label={t('role')}>
                  <select aria-label={t('roleOf', { name: u.name })} value={role} disabled={!!pendingRole}
                    onChange={(e) => void changeRole(u, e.target.value as Role)}>
                    {roles.map((r) => <option key={r} value={r}>{t(`role_${r}`)}</option>)}
                  </select>
                </td>
                <td data-label={t('userStatus')}>
                  <span className={`pill ${u.isActive ? 'active' : 'deactivated'}`}>{t(u.isActive ? 'userActive' : 'userDeactivated')}</span>
                </td>
                <td data-label={t('members')}>
                  {(channels.data ?? []).map((c) => {
                    const on = u.channelIds.some((x) => String(x) === String(c.id));
                    return (
                      <label key={String(c.id)} className="toggle">
                        <input type="checkbox" checked={on} aria-label={`${u.name}: ${t('member', { channel: c.name })}`}
                          onChange={() => void setMember(c.id, u.id, !on)} /> {c.name}
                      </label>
                    );
                  })}
                </td>
                <td data-label={t('actions')}>
                  <div className="row-actions">
                    <button type="button" onClick={() => setOpen({ kind: 'rename', user: u })}>{t('rename')}</button>
                    <button type="button" onClick={() => setOpen({ kind: 'password', user: u })}>{t('resetPassword')}</button>
                    <button type="button" onClick={() => setOpen({ kind: 'hours', user: u })}>{t('hrWorkingHours')}</button>
                    {u.isActive
                      ? <button type="button" className="danger" onClick={() => setOpen({ kind: 'deactivate', user: u })}>{t('deactivate')}</button>
                      : <button type="button" className="ok" onClick={() => setOpen({ kind: 'reactivate', user: u })}>{t('reactivate')}</button>}
                  </div>
                  {rowError && sameId(rowError.id, u.id) && <p className="error" role="alert">{rowError.text}</p>}
                  {rowDone && sameId(rowDone.id, u.id) && <p className="ok-text" role="status">{rowDone.text}</p>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {open?.kind === 'rename' && (
        <RenameDialog user={open.user} onClose={() => setOpen(null)} onSave={(name) => patch(open.user, { name })} />
      )}
      {open?.kind === 'password' && (
        <ResetPasswordDialog user={open.user} onClose={() => setOpen(null)} onSave={(password) => resetPassword(open.user, password)} />
      )}
      {open?.kind === 'hours' && <WorkingHoursDialog userId={open.user.id} name={open.user.name} onClose={() => setOpen(null)} />}
      {open?.kind === 'deactivate' && (
        <ConfirmDialog title={t('deactivateTitle', { name: open.user.name })} danger confirm={t('deactivate')}
          text={t(sameId(open.user.id, me.id) ? 'deactivateSelfText' : 'deactivateText', { name: open.user.name })}
          onClose={() => setOpen(null)} onConfirm={() => patch(open.user, { isActive: false })} />
      )}
      {open?.kind === 'reactivate' && (
        <ConfirmDialog title={t('reactivateTitle', { name: open.user.name })} confirm={t('reactivate')}
          text={t('reactivateText', { name: open.user.name })}
          onClose={() => setOpen(null)} onConfirm={() => patch(open.user, { isActive: true })} />
      )}
      <form className="admin-form" onSubmit={(e) => { e.preventDefault(); void create(); }}>
        <h2>{t('newUser')}</h2>
        <label>{t('name')} <input value={form.name} required onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
        <label>{t('email')} <input type="email" value={form.email} required onChange={(e) => setForm({ ...form, email: e.target.value })} /></label>
        <label>{t('role')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {roles.map((r) => <option key={r} value={r}>{t(`role_${r}`)}</option>)}
          </select>
        </label>
        <label>{t('password')} <input type="password" autoComplete="new-password" value={form.password} required minLength={8} onChange={(e) => setForm({ ...form, password: e.target.value })} /></label>
        <button type="submit" className="primary">{t('create')}</button>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </>
  );
}

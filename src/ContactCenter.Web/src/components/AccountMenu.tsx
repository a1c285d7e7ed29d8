import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { api, ApiError } from '../lib/api';
import { explain } from '../lib/errors';
import { useMe, useSession } from '../session';
import { Dialog } from './Dialog';
import { WorkingHoursDialog } from '../pages/admin/WorkingHoursDialog';

/** The signed-in user's own account: change the password, sign out on every device. */
export function AccountMenu() {
  const { t } = useI18n();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<'password' | 'everywhere' | 'hours' | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => { if (!box.current?.contains(e.target as Node)) setOpen(false); };
    const escape = (e: KeyboardEvent) => { if (e.key === 'Escape') setOpen(false); };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', escape);
    return () => { document.removeEventListener('mousedown', outside); document.removeEventListener('keydown', escape); };
  }, [open]);

  const pick = (d: 'password' | 'everywhere' | 'hours') => { setOpen(false); setDialog(d); };
  return (
    <div className="account" ref={box}>
      <button type="button" aria-expanded={open} aria-controls="account-menu" onClick={() => setOpen(!open)}>{t('account')} ▾</button>
      {open && (
        <div id="account-menu" className="account-menu" role="group" aria-label={t('account')}>
          <p className="muted wrap-anywhere">{me.name} · {me.email}</p>
          <button type="button" onClick={() => pick('password')}>{t('changePassword')}</button>
          <button type="button" onClick={() => pick('hours')}>{t('hrWorkingHours')}</button>
          <button type="button" className="danger" onClick={() => pick('everywhere')}>{t('signOutEverywhere')}</button>
        </div>
      )}
      {dialog === 'password' && <ChangePasswordDialog onClose={() => setDialog(null)} />}
      {dialog === 'everywhere' && <SignOutEverywhereDialog onClose={() => setDialog(null)} />}
      {dialog === 'hours' && <WorkingHoursDialog userId={me.id} name={me.name} onClose={() => setDialog(null)} />}
    </div>
  );
}

function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { signOut, replaceToken } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (next !== repeat) { setError(t('passwordsDiffer')); return; }
    setBusy(true);
    setError(null);
    try {
      // A wrong current password must not end the session, whatever status the server uses for it. The server revokes
      // every token, this one too, and answers 204: the probe below then sends the user to sign in with the new one.
      const answer = await api<{ accessToken?: string; expiresAt?: string } | undefined>('/api/auth/password',
        { body: { currentPassword: current, newPassword: next }, keepSession: true });
      if (answer?.accessToken && answer.expiresAt) replaceToken(answer.accessToken, answer.expiresAt);
    } catch (err) {
      setBusy(false);
      // The server answers a wrong current password with a 400 without field errors (a short new one has them).
      const wrongCurrent = err instanceof ApiError && err.status === 400 && !err.errors;
      setError(wrongCurrent ? t('wrongCurrentPassword') : explain(err, t, { 401: 'wrongCurrentPassword', 429: 'tooManyAttempts' }));
      return;
    }
    // The other sessions are revoked; if this one is too, the user signs in again with the new password.
    try {
      await api('/api/auth/me', { keepSession: true });
      setBusy(false);
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) signOut('passwordChanged');
      else { setBusy(false); setDone(true); }
    }
  }

  return (
    <Dialog title={t('changePassword')} onClose={onClose}>
      {done
        ? (
          <div className="dialog-form">
            <p role="status">{t('passwordChanged')}</p>
            <div className="dialog-buttons"><button type="button" className="primary" autoFocus onClick={onClose}>{t('close')}</button></div>
          </div>
        )
        : (
          <form className="dialog-form" onSubmit={(e) => void submit(e)}>
            <label>{t('currentPassword')}
              <input type="password" autoComplete="current-password" value={current} required autoFocus onChange={(e) => setCurrent(e.target.value)} />
            </label>
            <label>{t('newPassword')}
              <input type="password" autoComplete="new-password" value={next} required minLength={8} onChange={(e) => setNext(e.target.value)} />
            </label>
            <label>{t('repeatNewPassword')}
              <input type="password" autoComplete="new-password" value={repeat} required minLength={8} onChange={(e) => setRepeat(e.target.value)} />
            </label>
            <p className="muted">{t('changePasswordHint')}</p>
            {error && <p className="error" role="alert">{error}</p>}
            <div className="dialog-buttons">
              <button type="submit" className="primary" disabled={busy}>{t('changePassword')}</button>
              <button type="button" onClick={onClose}>{t('cancel')}</button>
            </div>
          </form>
        )}
    </Dialog>
  );
}

function SignOutEverywhereDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { signOut } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function go() {
    setBusy(true);
    setError(null);
    try {
      await api('/api/auth/logout-all', { method: 'POST', keepSession: true });
      signOut('signedOutEverywhere');
    } catch (err) {
      // Already revoked elsewhere: the goal is reached.
      if (err instanceof ApiError && err.status === 401) { signOut('signedOutEverywhere'); return; }
      setBusy(false);
      setError(explain(err, t));
    }
  }
  return (
    <Dialog title={t('signOutEverywhere')} onClose={onClose}>
      <div className="dialog-form">
        <p>{t('signOutEverywhereText')}</p>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="dialog-buttons">
          <button type="button" className="danger" disabled={busy} onClick={() => void go()}>{t('signOutEverywhere')}</button>
          <button type="button" onClick={onClose}>{t('cancel')}</button>
        </div>
      </div>
    </Dialog>
  );
}

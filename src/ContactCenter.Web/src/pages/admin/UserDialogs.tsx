import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog';
import { useI18n } from '../../i18n';
import type { UserListItem } from '../../types';

/** What a dialog's action answers: null when it worked, else the words to show in the dialog. */
export type Outcome = Promise<string | null>;

export function RenameDialog({ user, onSave, onClose }: { user: UserListItem; onSave: (name: string) => Outcome; onClose: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(user.name);
  return (
    <FormDialog title={t('renameUser', { name: user.name })} submit={t('save')} onClose={onClose} onSubmit={() => onSave(name.trim())}>
      <label>{t('name')} <input value={name} required maxLength={200} autoFocus onChange={(e) => setName(e.target.value)} /></label>
    </FormDialog>
  );
}

export function ResetPasswordDialog({ user, onSave, onClose }: { user: UserListItem; onSave: (password: string) => Outcome; onClose: () => void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  return (
    <FormDialog title={t('resetPasswordFor', { name: user.name })} submit={t('resetPassword')} onClose={onClose} onSubmit={() => onSave(password)}>
      <p className="muted">{t('resetPasswordHint')}</p>
      <label>{t('newPassword')}
        <input type="password" autoComplete="new-password" value={password} required minLength={8} autoFocus onChange={(e) => setPassword(e.target.value)} />
      </label>
    </FormDialog>
  );
}

/** Asks before a change that signs someone out (deactivation) or lets them back in (reactivation). */
export function ConfirmDialog({ title, text, confirm, danger, onConfirm, onClose }: {
  title: string; text: string; confirm: string; danger?: boolean; onConfirm: () => Outcome; onClose: () => void;
}) {
  return (
    <FormDialog title={title} submit={confirm} danger={danger} onClose={onClose} onSubmit={onConfirm}>
      <p>{text}</p>
    </FormDialog>
  );
}

function FormDialog({ title, submit, danger, onSubmit, onClose, children }: {
  title: string; submit: string; danger?: boolean; onSubmit: () => Outcome; onClose: () => void; children: React.ReactNode;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function go(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const problem = await onSubmit();
    setBusy(false);
    if (problem === null) onClose(); else setError(problem);
  }
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="dialog-form" onSubmit={(e) => void go(e)}>
        {children}
        {error && <p className="error" role="alert">{error}</p>}
        <div className="dialog-buttons">
          <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy}>{submit}</button>
          <button type="button" onClick={onClose}>{t('cancel')}</button>
        </div>
      </form>
    </Dialog>
  );
}

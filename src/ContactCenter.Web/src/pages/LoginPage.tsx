import { useState, type FormEvent } from 'react';
import { LanguagePicker } from '../components/LanguagePicker';
import { useI18n } from '../i18n';
import { ApiError } from '../lib/api';
import { useSession, type SignInNotice } from '../session';
import type { StringKey } from '../strings';

const noticeText: Record<SignInNotice, StringKey> = {
  expired: 'sessionExpired', ended: 'sessionEnded', passwordChanged: 'passwordChangedSignIn', signedOutEverywhere: 'signedOutEverywhereNotice',
};

export function LoginPage() {
  const { t } = useI18n();
  const { signIn, notice, lastEmail } = useSession();
  const [email, setEmail] = useState(lastEmail);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(status === 401 ? t('wrongLogin') : status === 429 ? t('tooManyAttempts') : t('errorGeneric', { reason: (err as Error).message }));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t('appName')}</h1>
          <LanguagePicker />
        </div>
        {notice && <p className="notice" role="status" data-notice={notice}>{t(noticeText[notice])}</p>}
        <label>{t('email')}
          <input type="email" name="email" autoComplete="username" required autoFocus={!email}
            value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>{t('password')}
          <input type="password" name="password" autoComplete="current-password" required autoFocus={!!email}
            value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{busy ? t('signingIn') : t('signIn')}</button>
      </form>
    </main>
  );
}

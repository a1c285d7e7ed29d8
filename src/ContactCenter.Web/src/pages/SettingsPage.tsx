import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { beep, desktopSupported, loadSettings, notificationKinds, saveSettings, type NotificationSettings } from '../lib/notifications';
import '../components/notify.css';

const zones = (): string[] => {
  const supported = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone');
  return supported && supported.length > 0 ? supported : ['UTC', 'Europe/Moscow', 'Europe/London', 'America/New_York', 'Asia/Yekaterinburg'];
};

/** /settings: which notifications, sound, quiet hours, and the browser's permission for desktop notifications. */
export function SettingsPage() {
  const { t } = useI18n();
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [permission, setPermission] = useState<string>(() => (desktopSupported() ? Notification.permission : 'unsupported'));
  const ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

  useEffect(() => { loadSettings().then(setSettings).catch((e: Error) => setError(e.message)); }, []);

  async function save() {
    if (!settings) return;
    setError(null); setStatus(null);
    try { setSettings(await saveSettings(settings)); setStatus(t('notifySaved')); }
    catch (e) { setError((e as Error).message); }
  }

  async function enableDesktop() {
    if (!desktopSupported()) return;
    setPermission(await Notification.requestPermission());
  }

  if (!settings) return <div className="page settings-page">{error ? <p className="error" role="alert">{error}</p> : null}</div>;
  const quiet = settings.quietHours;
  return (
    <div className="page settings-page">
      <div className="page-head"><h1>{t('notificationSettings')}</h1></div>
      <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <fieldset>
          <legend>{t('notifyKinds')}</legend>
          {notificationKinds.map((k) => (
            <label key={k}>
              <input type="checkbox" name={k} checked={settings.notifications[k]}
                onChange={(e) => setSettings({ ...settings, notifications: { ...settings.notifications, [k]: e.target.checked } })} />
              {t(`kind_${k}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('desktopNotifications')}</legend>
          {permission === 'unsupported' ? <p className="muted">{t('desktopUnsupported')}</p>
            : permission === 'granted' ? <p className="ok-text" data-testid="desktop-granted">{t('desktopGranted')}</p>
            : permission === 'denied' ? <p className="muted">{t('desktopDenied')}</p>
            : <button type="button" onClick={() => void enableDesktop()}>{t('enableDesktop')}</button>}
          <label>
            <input type="checkbox" name="sound" checked={settings.sound} onChange={(e) => setSettings({ ...settings, sound: e.target.checked })} />
            {t('soundOn')}
            <button type="button" className="link" onClick={() => beep(true)}>{t('testSound')}</button>
          </label>
          <label>
            <input type="checkbox" name="quiet" checked={!!quiet}
              onChange={(e) => setSettings({ ...settings, quietHours: e.target.checked ? { from: '22:00', to: '08:00', timeZone: ownZone } : null })} />
            <span>{t('quietHoursOn')}</span>
          </label>
          {quiet && (
            <div className="quiet-times">
              <label>{t('quietFrom')}<input type="time" required value={quiet.from} onChange={(e) => setSettings({ ...settings, quietHours: { ...quiet, from: e.target.value } })} /></label>
              <label>{t('quietTo')}<input type="time" required value={quiet.to} onChange={(e) => setSettings({ ...settings, quietHours: { ...quiet, to: e.target.value } })} /></label>
              <label>{t('timeZone')}
                <select value={quiet.timeZone} onChange={(e) => setSettings({ ...settings, quietHours: { ...quiet, timeZone: e.target.value } })}>
                  {[...new Set([quiet.timeZone, ...zones()])].map((z) => <option key={z} value={z}>{z}</option>)}
                </select>
              </label>
            </div>
          )}
        </fieldset>
        <div className="row-actions">
          <button type="submit" className="primary">{t('notifySave')}</button>
          {status && <span className="ok-text" role="status">{status}</span>}
          {error && <span className="error" role="alert">{error}</span>}
        </div>
      </form>
    </div>
  );
}

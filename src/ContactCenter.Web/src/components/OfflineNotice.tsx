import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import './phone.css';

/**
 * "You are offline": shown above everything while the browser has no network (the service worker still opens the
 * app from its cache, so this replaces the browser's error page). It goes away by itself when the network is back.
 */
export function OfflineNotice() {
  const { t } = useI18n();
  const [offline, setOffline] = useState(() => typeof navigator !== 'undefined' && navigator.onLine === false);
  useEffect(() => {
    const update = () => setOffline(navigator.onLine === false);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => { window.removeEventListener('online', update); window.removeEventListener('offline', update); };
  }, []);
  if (!offline) return null;
  return (
    <div className="offline-notice" role="alert" data-testid="offline">
      <strong>{t('offlineTitle')}</strong>
      <span>{t('offlineText')}</span>
      <button type="button" onClick={() => location.reload()}>{t('offlineRetry')}</button>
    </div>
  );
}

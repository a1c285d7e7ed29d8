import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { client } from '../api/client';
import { useHubEvent } from '../live';

type Presence = 'online' | 'away';
const Key = 'cc.presence';

/** Online / away (POST /api/presence): routing only hands conversations to managers who are online and not away. */
export function PresencePicker() {
  const { t } = useI18n();
  const [presence, setPresence] = useState<Presence>(() => (localStorage.getItem(Key) === 'away' ? 'away' : 'online'));
  const [available, setAvailable] = useState(true);

  const send = (status: Presence) =>
    client.POST('/api/presence', { body: { status } }).then(() => setAvailable(true)).catch((e) => { if (e?.notAvailable) setAvailable(false); });

  useEffect(() => { localStorage.setItem(Key, presence); void send(presence); }, [presence]);
  // A new hub connection counts as online on the server: say "away" again after a reconnect.
  useHubEvent('resync', () => { if (presence === 'away') void send('away'); });

  if (!available) return null;
  return (
    <select aria-label={t('presence')} value={presence} onChange={(e) => setPresence(e.target.value as Presence)}
      className={`presence ${presence}`}>
      <option value="online">● {t('presenceOnline')}</option>
      <option value="away">◐ {t('presenceAway')}</option>
    </select>
  );
}

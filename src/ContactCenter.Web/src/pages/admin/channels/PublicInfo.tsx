import { useI18n } from '../../../i18n';
import type { StringKey } from '../../../strings';
import type { Channel } from '../../../types';
import { CopyField } from './CopyField';
import { kindOf } from './kinds';

/** The label of a `public` key ("Inbound URL"), or the key itself for one the web app does not know yet. */
function usePublicLabel() {
  const { t } = useI18n();
  return (key: string) => {
    const k = `chp_${key}` as StringKey;
    const text = t(k);
    return text === k ? key : text;
  };
}

/** A channel's main value to paste (its first short `public` value), for the channel list. */
export function PublicSummary({ channel }: { channel: Channel }) {
  const label = usePublicLabel();
  const order = kindOf(channel.kind)?.paste ?? [];
  const key = order.find((k) => typeof channel.public?.[k] === 'string' && (channel.public[k] as string).length <= 200);
  if (!key) return null;
  return <div className="copyable"><span className="label">{label(key)}</span> <code>{channel.public[key] as string}</code></div>;
}

/** Step 4, "what to paste where": the channel's `public` values as the server computed them (never the browser's address). */
export function PublicInfo({ channel }: { channel: Channel }) {
  const { t } = useI18n();
  const def = kindOf(channel.kind);
  const entries = Object.entries(channel.public ?? {})
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '' && e[0] !== 'mode');
  const order = def?.paste ?? [];
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  const label = usePublicLabel();
  const relative = entries.some(([, v]) => v.startsWith('/'));
  const mode = typeof channel.public?.mode === 'string' ? channel.public.mode : null;
  const howTo = t(`chk_${channel.kind}_paste` as StringKey);
  return (
    <div className="public-info">
      <p className="muted">{t('chPasteIntro')}</p>
      {howTo !== `chk_${channel.kind}_paste` && <p className="how-to">{howTo}</p>}
      {mode && <p><span className="label">{label('mode')}:</span> <strong data-public-key="mode">{mode}</strong></p>}
      {relative && <p className="notice" role="note">{t('chRelativeWarning')}</p>}
      {entries.length === 0 && <p className="muted">{t('chNoPublic')}</p>}
      {entries.map(([key, value]) => <CopyField key={key} name={key} label={label(key)} value={value} />)}
    </div>
  );
}

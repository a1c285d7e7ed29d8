import { useI18n } from '../../i18n';
import { labelOf } from '../../strings';
import { ChannelIcon } from '../Icons';

/**
 * Where a lead or deal came from: the short source (one that is a channel's kind, as the inbound pipeline writes it, by
 * that kind's name in the user's language; anything else as typed), then what its
 * details say (channel, form, UTM tags, payload).
 */
export function SourceLine({ source, details: raw }: { source?: string | null; details?: unknown }) {
  const { t } = useI18n();
  // Free JSON (the document's JsonElement): an object of details, or nothing.
  const details = typeof raw === 'object' && raw !== null ? raw as Record<string, unknown> : null;
  if (!source && !details) return <span className="muted">{t('cardSourceNone')}</span>;
  const channel = typeof details?.channel === 'string' ? details.channel : null;
  const parts = Object.entries(details ?? {})
    .filter(([k]) => k !== 'channel' && k !== 'channelId' && k !== 'conversationId')
    .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? Object.entries(v).map(([a, b]) => `${a}=${String(b)}`).join(', ') : String(v)}`);
  return (
    <span className="source-line" data-testid="card-source">
      {channel && <ChannelIcon kind={channel} />} {labelOf(t, 'chk_', source ?? channel ?? '')}
      {parts.length > 0 && <span className="muted"> · {parts.join(' · ')}</span>}
    </span>
  );
}

import { useI18n } from '../i18n';
import type { StringKey } from '../strings';
import type { Message } from '../types';
import './csat.css';

/** Marks a message the system sent by itself (out-of-hours reply, acknowledgement, satisfaction survey). */
export function AutomatedBadge({ message }: { message: Message }) {
  const { t } = useI18n();
  const kind = (message as Message & { metadata?: Record<string, string> | null }).metadata?.automated;
  if (!kind || message.sender.type !== 'system') return null;
  const known = ['outOfHours', 'acknowledgement', 'csat'].includes(kind);
  return <span className="automated-badge" data-testid="automated-badge" data-kind={kind}>{known ? t(`hrAuto_${kind}` as StringKey) : t('hrAutomatic')}</span>;
}

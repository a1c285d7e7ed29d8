import { useState } from 'react';
import { catalogName } from '../../components/cards/cardTypes';
import { useI18n } from '../../i18n';
import type { StringKey } from '../../strings';
import type { Id, UserListItem } from '../../types';
import { BulkBar } from './BulkBar';
import { useApiGet } from '../../api/useApiGet';

/**
 * Acts on the selected leads (POST /api/leads/bulk, one outcome per lead): assign, set new / in work, or junk with a
 * reason. Junk waits until a reason is chosen: the route refuses junk without one.
 */
export function LeadBulkBar({ rows, users, onDone }: { rows: { id: Id; name: string }[]; users: UserListItem[]; onDone: () => void }) {
  const { t, lang } = useI18n();
  const reasons = useApiGet('/api/junk-reasons');
  const [reasonId, setReasonId] = useState('');
  return (
    <BulkBar url="/api/leads/bulk" rows={rows} users={users} assign={(assigneeId) => ({ action: 'assign', assigneeId })} onDone={onDone}>
      {(run, busy) => (
        <>
          <select aria-label={t('bulkStatus')} value="" disabled={busy} onChange={(e) => { if (e.target.value) run({ action: 'status', status: e.target.value }); }}>
            <option value="">{t('bulkStatus')}…</option>
            {['new', 'in_work'].map((s) => <option key={s} value={s}>{t(`leadStatus_${s}` as StringKey)}</option>)}
          </select>
          <select aria-label={t('bulkJunkReason')} value={reasonId} onChange={(e) => setReasonId(e.target.value)}>
            <option value="">{t('bulkJunkReason')}…</option>
            {(reasons.data ?? []).map((r) => <option key={String(r.id)} value={String(r.id)}>{catalogName(r, lang)}</option>)}
          </select>
          <button type="button" className="danger" disabled={busy || !reasonId}
            onClick={() => run({ action: 'junk', junkReasonId: reasons.data?.find((r) => String(r.id) === reasonId)?.id })}>{t('bulkJunk')}</button>
        </>
      )}
    </BulkBar>
  );
}

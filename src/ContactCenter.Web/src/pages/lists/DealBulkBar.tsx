import { useState } from 'react';
import { useI18n } from '../../i18n';
import type { Id, Pipeline, UserListItem } from '../../types';
import { BulkBar } from './BulkBar';
import { useApiGet } from '../../api/useApiGet';

/** Acts on the selected deals at once (POST /api/deals/bulk, all or nothing): assign, move to an open stage, close. */
export function DealBulkBar({ rows, pipeline, users, onDone }: { rows: { id: Id; name: string }[]; pipeline: Pipeline | undefined; users: UserListItem[]; onDone: () => void }) {
  const { t } = useI18n();
  const reasons = useApiGet('/api/loss-reasons');
  const [reasonId, setReasonId] = useState('');
  return (
    <BulkBar url="/api/deals/bulk" rows={rows} users={users} assign={(assigneeId) => ({ assigneeId })} onDone={onDone}>
      {(run, busy) => (
        <>
          <select aria-label={t('bulkMove')} value="" disabled={busy}
            onChange={(e) => { const s = pipeline?.stages.find((x) => String(x.id) === e.target.value); if (s) run({ stageId: s.id }); }}>
            <option value="">{t('bulkMove')}…</option>
            {(pipeline?.stages ?? []).filter((s) => s.semantic === 'open').map((s) => <option key={String(s.id)} value={String(s.id)}>{s.name}</option>)}
          </select>
          <button type="button" className="ok" disabled={busy} onClick={() => run({ close: { won: true } })}>{t('closeWon')}</button>
          <select aria-label={t('lossReason')} value={reasonId} onChange={(e) => setReasonId(e.target.value)}>
            <option value="">{t('lossReason')}…</option>
            {(reasons.data ?? []).map((r) => <option key={String(r.id)} value={String(r.id)}>{r.name}</option>)}
          </select>
          <button type="button" className="danger" disabled={busy || !reasonId}
            onClick={() => run({ close: { won: false, lossReasonId: reasons.data?.find((r) => String(r.id) === reasonId)?.id } })}>{t('closeLost')}</button>
        </>
      )}
    </BulkBar>
  );
}

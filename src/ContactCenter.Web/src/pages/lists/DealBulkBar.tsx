import { useState } from 'react';
import { useI18n } from '../../i18n';
import { api } from '../../lib/api';
import { useResource } from '../../lib/useResource';
import type { Id, LossReason, Pipeline, UserListItem } from '../../types';

/** Acts on the selected deals at once (POST /api/deals/bulk, all or nothing): assign, move to an open stage, close. */
export function DealBulkBar({ ids, pipeline, users, onDone }: { ids: Id[]; pipeline: Pipeline | undefined; users: UserListItem[]; onDone: () => void }) {
  const { t } = useI18n();
  const reasons = useResource<LossReason[]>('/api/loss-reasons');
  const [reasonId, setReasonId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(body: Record<string, unknown>) {
    setBusy(true);
    try {
      setError(null);
      await api('/api/deals/bulk', { body: { ids, ...body } });
      onDone();
    } catch (e) { setError((e as Error).message); } finally { setBusy(false); }
  }
  return (
    <div className="bulk-bar" role="toolbar" aria-label={t('bulkActions')}>
      <strong>{t('selectedCount', { count: ids.length })}</strong>
      <select aria-label={t('bulkAssign')} value="" disabled={busy}
        onChange={(e) => { if (e.target.value) void run({ assigneeId: e.target.value === 'none' ? null : users.find((u) => String(u.id) === e.target.value)?.id }); }}>
        <option value="">{t('bulkAssign')}…</option>
        <option value="none">{t('unassigned')}</option>
        {users.map((u) => <option key={String(u.id)} value={String(u.id)}>{u.name}</option>)}
      </select>
      <select aria-label={t('bulkMove')} value="" disabled={busy}
        onChange={(e) => { const s = pipeline?.stages.find((x) => String(x.id) === e.target.value); if (s) void run({ stageId: s.id }); }}>
        <option value="">{t('bulkMove')}…</option>
        {(pipeline?.stages ?? []).filter((s) => s.semantic === 'open').map((s) => <option key={String(s.id)} value={String(s.id)}>{s.name}</option>)}
      </select>
      <button type="button" className="ok" disabled={busy} onClick={() => void run({ close: { won: true } })}>{t('closeWon')}</button>
      <select aria-label={t('lossReason')} value={reasonId} onChange={(e) => setReasonId(e.target.value)}>
        <option value="">{t('lossReason')}…</option>
        {(reasons.data ?? []).map((r) => <option key={String(r.id)} value={String(r.id)}>{r.name}</option>)}
      </select>
      <button type="button" className="danger" disabled={busy || !reasonId}
        onClick={() => void run({ close: { won: false, lossReasonId: reasons.data?.find((r) => String(r.id) === reasonId)?.id } })}>{t('closeLost')}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

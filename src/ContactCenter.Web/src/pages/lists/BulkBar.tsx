import { useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { api } from '../../lib/api';
import { explain } from '../../lib/errors';
import type { Schemas } from '../../api/client';
import type { Id, UserListItem } from '../../types';

/** What a bulk route answers: deals `{count, changed, ids}` (all or nothing), leads `{changed, items}` (one outcome per id). */
type BulkAnswer = Partial<Schemas['DealBulkServiceBulkResult']> & Partial<Schemas['LeadBulkServiceBulkResult']>;

export type BulkRun = (body: Record<string, unknown>) => void;

/**
 * The bar shared by the deal and lead lists: acts on the ticked rows through `url` (POST {ids, ...action}), offers the
 * assignment (`assign` shapes its body), and says afterwards how many changed and which rows were not, by name, with the
 * server's reason. The list's own actions come as `children`. The report outlives the selection, which `onDone` clears.
 */
export function BulkBar({ url, rows, users, assign, onDone, children }: {
  url: string; rows: { id: Id; name: string }[]; users: UserListItem[];
  assign: (assigneeId: Id | null) => Record<string, unknown>; onDone: () => void; children: (run: BulkRun, busy: boolean) => ReactNode;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<{ changed: number; refused: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(body: Record<string, unknown>) {
    const names = new Map(rows.map((r) => [String(r.id), r.name]));
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const answer = await api<BulkAnswer | undefined>(url, { body: { ids: rows.map((r) => r.id), ...body } });
      const refused = (answer?.items ?? []).filter((i) => i.outcome !== 'changed' && i.outcome !== 'unchanged')
        .map((i) => `${names.get(String(i.id)) ?? String(i.id)} (${i.error ?? i.outcome})`);
      setReport({ changed: answer?.changed ?? answer?.count ?? rows.length, refused });
      onDone();
    } catch (e) { setError(explain(e, t)); } finally { setBusy(false); }
  }
  return (
    <>
      {rows.length > 0 && (
        <div className="bulk-bar" role="toolbar" aria-label={t('bulkActions')}>
          <strong>{t('selectedCount', { count: rows.length })}</strong>
          <select aria-label={t('bulkAssign')} value="" disabled={busy}
            onChange={(e) => { if (e.target.value) void run(assign(e.target.value === 'none' ? null : users.find((u) => String(u.id) === e.target.value)?.id ?? null)); }}>
            <option value="">{t('bulkAssign')}…</option>
            <option value="none">{t('unassigned')}</option>
            {users.map((u) => <option key={String(u.id)} value={String(u.id)}>{u.name}</option>)}
          </select>
          {children((body) => void run(body), busy)}
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {report && (
        <p className="bulk-report" role="status" data-testid="bulk-report">
          {t('bulkChanged', { count: report.changed })}{report.refused.length > 0 && <> {t('bulkRefused', { list: report.refused.join('; ') })}</>}
        </p>
      )}
    </>
  );
}

import { useState } from 'react';
import { body, client, type Schemas } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { ResourceStatus } from '../../components/Status';
import { useI18n } from '../../i18n';
import { describeError } from '../../lib/errors';

type Reason = Schemas['LossReasonDto'];

/** The reasons a manager picks from when a deal is lost: added, renamed (with a Russian name), archived and restored. */
export function LossReasonsTab() {
  const { t } = useI18n();
  const [archived, setArchived] = useState(false);
  const reasons = useApiGet('/api/loss-reasons', { params: { query: { archived: archived || undefined } } });
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function run(action: () => Promise<unknown>) {
    try { setError(null); await action(); void reasons.reload(); } catch (err) { setError(describeError(err)); }
  }
  const patch = (r: Reason, changes: { name?: string; nameRu?: string | null; archived?: boolean }) =>
    run(() => body(client.PATCH('/api/loss-reasons/{id}', { params: { path: { id: Number(r.id) } }, body: changes })));
  return (
    <>
      <label className="toggle"><input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> {t('showArchived')}</label>
      <ResourceStatus resource={reasons} what="GET /api/loss-reasons" />
      <ul className="admin-list">
        {(reasons.data ?? []).map((r) => (
          <ReasonRow key={String(r.id)} reason={r} archived={archived} onSave={(changes) => patch(r, changes)}
            onArchive={() => { if (window.confirm(t('lossReasonArchiveConfirm', { name: r.name }))) void run(() => body(client.DELETE('/api/loss-reasons/{id}', { params: { path: { id: Number(r.id) } } }))); }}
            onRestore={() => void patch(r, { archived: false })} />
        ))}
      </ul>
      {!archived && (
        <form className="row" onSubmit={(e) => {
          e.preventDefault();
          void run(async () => { await body(client.POST('/api/loss-reasons', { body: { name } })); setName(''); });
        }}>
          <input aria-label={t('newReason')} placeholder={t('newReason')} value={name} required onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="primary">{t('create')}</button>
        </form>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
}

function ReasonRow({ reason, archived, onSave, onArchive, onRestore }: {
  reason: Reason; archived: boolean; onSave: (changes: { name?: string; nameRu?: string | null }) => Promise<void>; onArchive: () => void; onRestore: () => void;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(reason.name);
  const [nameRu, setNameRu] = useState(reason.nameRu ?? '');
  if (editing) {
    return (
      <li>
        <form className="row" onSubmit={(e) => {
          e.preventDefault();
          void onSave({ name: name.trim(), nameRu: nameRu.trim() === '' ? null : nameRu.trim() }).then(() => setEditing(false));
        }}>
          <input aria-label={t('lossReasonName')} value={name} required onChange={(e) => setName(e.target.value)} />
          <input aria-label={t('lossReasonNameRu')} placeholder={t('lossReasonNameRu')} value={nameRu} onChange={(e) => setNameRu(e.target.value)} />
          <button type="submit" className="primary">{t('save')}</button>
          <button type="button" onClick={() => setEditing(false)}>{t('cancel')}</button>
        </form>
      </li>
    );
  }
  return (
    <li>
      {reason.name}{reason.nameRu ? <span className="muted"> · {reason.nameRu}</span> : null}{' '}
      {archived
        ? <button type="button" onClick={onRestore}>{t('restore')}</button>
        : <>
          <button type="button" onClick={() => { setName(reason.name); setNameRu(reason.nameRu ?? ''); setEditing(true); }} aria-label={t('lossReasonEdit', { name: reason.name })}>{t('edit')}</button>{' '}
          <button type="button" className="danger" onClick={onArchive} aria-label={t('lossReasonArchive', { name: reason.name })}>{t('archive')}</button>
        </>}
    </li>
  );
}

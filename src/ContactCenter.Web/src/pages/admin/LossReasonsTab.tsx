import { useState } from 'react';
import { body, client } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { ResourceStatus } from '../../components/Status';
import { useI18n } from '../../i18n';
import { describeError } from '../../lib/errors';

/** The reasons a manager picks from when a deal is lost. */
export function LossReasonsTab() {
  const { t } = useI18n();
  const reasons = useApiGet('/api/loss-reasons');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <ResourceStatus resource={reasons} what="GET /api/loss-reasons" />
      <ul className="admin-list">{(reasons.data ?? []).map((r) => <li key={String(r.id)}>{r.name}{r.nameRu ? <span className="muted"> · {r.nameRu}</span> : null}</li>)}</ul>
      <form className="row" onSubmit={async (e) => {
        e.preventDefault();
        try { setError(null); await body(client.POST('/api/loss-reasons', { body: { name } })); setName(''); void reasons.reload(); } catch (err) { setError(describeError(err)); }
      }}>
        <input aria-label={t('newReason')} placeholder={t('newReason')} value={name} required onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="primary">{t('create')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
}

import { useState } from 'react';
import { CannedForm } from '../components/canned/CannedForm';
import '../components/canned/canned.css';
import { ResourceStatus } from '../components/Status';
import { useI18n } from '../i18n';
import { client } from '../api/client';
import { useApiGet } from '../api/useApiGet';
import { filterCanned, type CannedResponse } from '../lib/canned';
import { explain } from '../lib/errors';
import { useMe } from '../session';

const VARIABLES = '{{contact.name}}, {{contact.email}}, {{contact.phone}}, {{agent.name}}, {{conversation.id}}, '
  + '{{deal.title}}, {{deal.amount}}, {{deal.currency}}, {{deal.stage}}, {{lead.title}}, {{lead.status}}';

/** Canned responses: a manager manages their own and reads the shared ones; admins and supervisors manage the shared ones. */
export function CannedPage() {
  const { t } = useI18n();
  const me = useMe();
  const canShare = me.role === 'admin' || me.role === 'supervisor';
  const list = useApiGet('/api/canned-responses');
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function remove(r: CannedResponse) {
    if (!window.confirm(t('cannedConfirmDelete', { shortcut: r.shortcut }))) return;
    try {
      await client.DELETE('/api/canned-responses/{id}', { params: { path: { id: Number(r.id) } } });
      if (editing !== 'new' && editing?.id === r.id) setEditing(null);
      void list.reload();
    } catch (e) {
      setError(explain(e, t));
    }
  }

  const shown = filterCanned(list.data ?? [], q);
  return (
    <div className="page canned-page">
      <div className="page-head">
        <h1>{t('cannedResponses')}</h1>
        <input type="search" aria-label={t('cannedSearch')} placeholder={t('cannedSearch')} value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="button" className="primary" onClick={() => setEditing('new')}>{t('cannedNew')}</button>
      </div>
      <p className="muted canned-help">{t('cannedHelp', { vars: VARIABLES })}</p>
      {editing && (
        <CannedForm key={editing === 'new' ? 'new' : String(editing.id)} editing={editing === 'new' ? null : editing} canShare={canShare}
          onCancel={() => { setEditing(null); void list.reload(); }}
          onSaved={(r) => { setEditing(editing === 'new' ? r : null); void list.reload(); }} />
      )}
      <ResourceStatus resource={list} what="GET /api/canned-responses" />
      {error && <p className="error" role="alert">{error}</p>}
      {list.data && (
        <ul className="canned-list" aria-label={t('cannedResponses')}>
          {shown.map((r) => (
            <li key={String(r.id)} className="canned-item" data-testid="canned-item">
              <div className="canned-head">
                <strong className="canned-shortcut">/{r.shortcut}</strong>
                {r.title && <span className="canned-title">{r.title}</span>}
                <span className={`badge ${r.shared ? '' : 'muted'}`}>{r.shared ? t('cannedShared') : t('cannedPersonal')}</span>
              </div>
              <p className="canned-text">{r.text}</p>
              {r.attachments.length > 0 && <p className="muted">📎 {r.attachments.map((f) => f.fileName).join(', ')}</p>}
              {r.canEdit ? (
                <div className="row">
                  <button type="button" onClick={() => setEditing(r)}>{t('cannedEditAction')}</button>
                  <button type="button" className="danger" onClick={() => void remove(r)}>{t('cannedDelete')}</button>
                </div>
              ) : <p className="muted small">{t('cannedReadOnly')}</p>}
            </li>
          ))}
          {shown.length === 0 && <li className="muted">{t('cannedEmpty')}</li>}
        </ul>
      )}
    </div>
  );
}

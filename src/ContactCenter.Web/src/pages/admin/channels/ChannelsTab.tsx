import { useState } from 'react';
import { ChannelIcon } from '../../../components/Icons';
import { Dialog } from '../../../components/Dialog';
import { ResourceStatus } from '../../../components/Status';
import { useI18n } from '../../../i18n';
import { client } from '../../../api/client';
import { useApiGet } from '../../../api/useApiGet';
import { ApiError } from '../../../lib/api';
import { explain } from '../../../lib/errors';
import type { StringKey } from '../../../strings';
import { sameId, type Channel } from '../../../types';
import { ChannelEditor } from './ChannelEditor';
import { ChannelWizard, channelParams } from './ChannelWizard';
import { kindOf } from './kinds';
import { PublicSummary } from './PublicInfo';
import './channels.css';

/** The admin's channels: the wizard for a new one, editing, switching off, deleting (only when empty) or archiving. */
export function ChannelsTab() {
  const { t } = useI18n();
  const [showArchived, setShowArchived] = useState(false);
  const channels = useApiGet('/api/channels', { params: { query: { archived: showArchived || undefined } } });
  const [wizard, setWizard] = useState(false);
  const [editing, setEditing] = useState<Channel | null>(null);
  const [deleting, setDeleting] = useState<Channel | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function act(action: () => Promise<string>) {
    setMessage(null);
    try { setMessage({ ok: true, text: await action() }); } catch (e) { setMessage({ ok: false, text: explain(e, t) }); }
    void channels.reload();
  }
  const toggle = (c: Channel) => (c.enabled && !window.confirm(t('chDisableConfirm', { name: c.name }))) ? undefined : act(async () => {
    // lib/api: a partial PATCH body, and the document marks every field of UpdateChannelRequest required.
    await client.PATCH('/api/channels/{id}', { ...channelParams(c.id), body: { enabled: !c.enabled } });
    return t('chSaved');
  });
  const archive = (c: Channel, archived: boolean) => act(async () => {
    await client.POST(archived ? '/api/channels/{id}/archive' : '/api/channels/{id}/unarchive', { params: { path: { id: Number(c.id) } } });
    if (editing && sameId(editing.id, c.id)) setEditing(null);
    return t(archived ? 'chArchivedDone' : 'chRestored', { name: c.name });
  });

  return (
    <div className="channels-tab">
      <div className="row">
        <button type="button" className="primary" onClick={() => { setWizard(true); setEditing(null); }}>{t('chNew')}</button>
        <label className="toggle"><input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> {t('chShowArchived')}</label>
      </div>
      {wizard && <ChannelWizard onClose={() => { setWizard(false); void channels.reload(); }}
        onDone={() => { setWizard(false); void channels.reload(); }} />}
      {editing && <ChannelEditor key={String(editing.id)} channel={editing} onClose={() => setEditing(null)} onSaved={() => void channels.reload()} />}
      {message && <p className={message.ok ? 'ok-text' : 'error'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
      <ResourceStatus resource={channels} what="GET /api/channels" />
      <ul className="admin-list channel-list">
        {(channels.data ?? []).map((c) => {
          const def = kindOf(c.kind);
          return (
            <li key={String(c.id)} data-channel-id={String(c.id)}>
              <div className="channel-line">
                <ChannelIcon kind={c.kind} /> <strong>{c.name}</strong>{' '}
                <span className="pill">{def ? t(`chk_${c.kind}` as StringKey) : c.kind}</span>
                {c.archivedAt ? <span className="pill">{t('chArchivedPill')}</span> : !c.enabled && <span className="pill">{t('chDisabledPill')}</span>}
              </div>
              <PublicSummary channel={c} />
              {c.statusError && <p className="error status-error">{t('chStatusError', { reason: c.statusError })}</p>}
              <div className="row-actions">
                {!c.archivedAt && (
                  <label className="toggle"><input type="checkbox" checked={c.enabled} onChange={() => void toggle(c)} /> {t('chEnabled')}</label>
                )}
                <button type="button" onClick={() => { setEditing(c); setWizard(false); }}>{t('chEdit')}</button>
                {c.archivedAt
                  ? <button type="button" onClick={() => void archive(c, false)}>{t('chUnarchive')}</button>
                  : <button type="button" onClick={() => { if (window.confirm(t('chArchiveConfirm', { name: c.name }))) void archive(c, true); }}>{t('chArchive')}</button>}
                <button type="button" className="danger" onClick={() => setDeleting(c)}>{t('chDelete')}</button>
              </div>
            </li>
          );
        })}
      </ul>
      {deleting && <DeleteDialog channel={deleting} onClose={() => setDeleting(null)}
        onDone={(text) => { setDeleting(null); if (editing && sameId(editing.id, deleting.id)) setEditing(null); setMessage({ ok: true, text }); void channels.reload(); }} />}
    </div>
  );
}

/** Deletes an empty channel; for one with conversations the server answers 409 and the dialog offers archiving instead. */
function DeleteDialog({ channel, onClose, onDone }: { channel: Channel; onClose: () => void; onDone: (text: string) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [hasConversations, setHasConversations] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function go(action: 'delete' | 'archive') {
    setBusy(true); setProblem(null);
    try {
      const params = { path: { id: Number(channel.id) } };
      if (action === 'delete') await client.DELETE('/api/channels/{id}', { params });
      else await client.POST('/api/channels/{id}/archive', { params });
      onDone(t(action === 'delete' ? 'chDeleted' : 'chArchivedDone', { name: channel.name }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setHasConversations(true); else setProblem(explain(e, t));
    } finally { setBusy(false); }
  }
  return (
    <Dialog title={t('chDeleteTitle', { name: channel.name })} onClose={onClose}>
      <div className="dialog-form">
        {hasConversations ? <p className="notice" role="alert">{t('chHasConversations')}</p> : <p>{t('chDeleteText')}</p>}
        {problem && <p className="error" role="alert">{problem}</p>}
        <div className="dialog-buttons">
          {hasConversations
            ? <button type="button" className="primary" disabled={busy} onClick={() => void go('archive')}>{t('chArchiveInstead')}</button>
            : <button type="button" className="danger" disabled={busy} onClick={() => void go('delete')}>{t('chDelete')}</button>}
          <button type="button" onClick={onClose}>{t('cancel')}</button>
        </div>
      </div>
    </Dialog>
  );
}

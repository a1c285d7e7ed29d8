import { useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { body, client, formBody } from '../../api/client';
import { ApiError } from '../../lib/api';
import { explain } from '../../lib/errors';
import { fileSize } from '../../lib/format';
import type { CannedResponse } from '../../lib/canned';

interface Props {
  /** The response being edited, or null for a new one. */
  editing: CannedResponse | null;
  canShare: boolean;
  onSaved: (r: CannedResponse) => void;
  onCancel: () => void;
}

/** Create or edit one canned response; its files are added and removed here once it exists. */
export function CannedForm({ editing, canShare, onSaved, onCancel }: Props) {
  const { t, locale } = useI18n();
  const [shortcut, setShortcut] = useState(editing?.shortcut ?? '');
  const [title, setTitle] = useState(editing?.title ?? '');
  const [text, setText] = useState(editing?.text ?? '');
  const [shared, setShared] = useState(editing?.shared ?? false);
  const [files, setFiles] = useState(editing?.attachments ?? []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const path = { id: Number(editing?.id) };

  async function save() {
    setBusy(true);
    setError(null);
    try {
      const saved = editing
        ? await body(client.PATCH('/api/canned-responses/{id}', { params: { path }, body: { shortcut, title, text } }))
        : await body(client.POST('/api/canned-responses', { body: { shortcut, title, text, shared } }));
      onSaved(saved);
    } catch (e) {
      setError(explain(e, t, { 409: 'cannedDuplicate' }));
    } finally {
      setBusy(false);
    }
  }

  async function addFile(file: File) {
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      setFiles((await body(client.POST('/api/canned-responses/{id}/attachments', { params: { path }, ...formBody(form) }))).attachments);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 413 ? t('fileTooLarge', { reason: e.message }) : explain(e, t));
    }
  }

  async function removeFile(id: CannedResponse['attachments'][number]['id']) {
    try {
      setFiles((await body(client.DELETE('/api/canned-responses/{id}/attachments/{fileId}', { params: { path: { ...path, fileId: Number(id) } } }))).attachments);
    } catch (e) {
      setError(explain(e, t));
    }
  }

  return (
    <form className="canned-form" aria-label={editing ? t('cannedEdit', { shortcut: editing.shortcut }) : t('cannedNew')}
      onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h2>{editing ? t('cannedEdit', { shortcut: editing.shortcut }) : t('cannedNew')}</h2>
      <label className="field"><span className="label">{t('cannedShortcut')}</span>
        <input value={shortcut} onChange={(e) => setShortcut(e.target.value)} maxLength={33} placeholder={t('cannedShortcutHint')} autoCapitalize="off" />
      </label>
      <label className="field"><span className="label">{t('cannedTitle')}</span>
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
      </label>
      <label className="field"><span className="label">{t('cannedText')}</span>
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={5} maxLength={10000} />
      </label>
      {!editing && canShare && (
        <label className="toggle"><input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} /> {t('cannedShareWithTeam')}</label>
      )}
      <div className="canned-files">
        <span className="label">{t('cannedFiles')}</span>
        {editing ? (
          <>
            <ul>
              {files.map((f) => (
                <li key={String(f.id)}>{f.fileName} <span className="muted">{fileSize(f.size, locale)}</span>{' '}
                  <button type="button" className="link" aria-label={t('cannedRemoveFile', { name: f.fileName })} onClick={() => void removeFile(f.id)}>✕</button>
                </li>
              ))}
            </ul>
            <button type="button" onClick={() => picker.current?.click()}>{t('cannedAddFile')}</button>
            <input ref={picker} type="file" hidden tabIndex={-1} aria-hidden="true"
              onChange={(e) => { const f = e.target.files?.[0]; if (f) void addFile(f); e.target.value = ''; }} />
          </>
        ) : <p className="muted">{t('cannedFilesAfterSave')}</p>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>{editing ? t('cannedSave') : t('cannedCreate')}</button>
        <button type="button" onClick={onCancel}>{t('cannedCancel')}</button>
      </div>
    </form>
  );
}

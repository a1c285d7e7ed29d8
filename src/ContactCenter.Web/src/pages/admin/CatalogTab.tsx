import { useState } from 'react';
import { body, client } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { ResourceStatus } from '../../components/Status';
import { useI18n } from '../../i18n';
import { describeError } from '../../lib/errors';

/** The three lists a manager picks from: why a deal was lost, a lead's status, why a lead is junk. */
export type CatalogKind = 'lossReasons' | 'leadStatuses' | 'junkReasons';

const routes = {
  lossReasons: { list: '/api/loss-reasons', one: '/api/loss-reasons/{id}' },
  leadStatuses: { list: '/api/lead-statuses', one: '/api/lead-statuses/{id}' },
  junkReasons: { list: '/api/junk-reasons', one: '/api/junk-reasons/{id}' },
} as const;

/** Each list's own words: the new entry's placeholder and what archiving an entry means. */
const texts = {
  lossReasons: { create: 'newReason', archiveConfirm: 'lossReasonArchiveConfirm' },
  leadStatuses: { create: 'newLeadStatus', archiveConfirm: 'leadStatusArchiveConfirm' },
  junkReasons: { create: 'newJunkReason', archiveConfirm: 'junkReasonArchiveConfirm' },
} as const;

/** `archived` comes with lead statuses and junk reasons (whose `?archived=true` lists all); loss reasons list only the archived. */
interface Entry { id: number | string; name: string; nameRu?: string | null; archived?: boolean }
interface Changes { name?: string; nameRu?: string | null; archived?: boolean }

// The three routes take and give the same shapes (a name, a Russian name, archived); openapi-fetch's overloads cannot
// follow a path chosen at runtime, hence the one cast per method.
const post = client.POST as (path: string, init: { body: { name: string } }) => Promise<{ data?: unknown; response: Response }>;
const patch = client.PATCH as (path: string, init: { params: { path: { id: number } }; body: Changes }) => Promise<{ data?: unknown; response: Response }>;
const remove = client.DELETE as (path: string, init: { params: { path: { id: number } } }) => Promise<{ data?: unknown; response: Response }>;

/** One list of entries: added, renamed (with a Russian name), archived after asking, and restored. */
export function CatalogTab({ kind }: { kind: CatalogKind }) {
  const { t } = useI18n();
  const route = routes[kind];
  const words = texts[kind];
  const [archived, setArchived] = useState(false);
  const entries = useApiGet(route.list, { params: { query: { archived: archived || undefined } } });
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  /** Whether the action went through: a refused rename keeps its form open with what was typed. */
  async function run(action: () => Promise<unknown>): Promise<boolean> {
    try { setError(null); await action(); void entries.reload(); return true; } catch (err) { setError(describeError(err)); return false; }
  }
  const change = (e: Entry, changes: Changes) => run(() => body(patch(route.one, { params: { path: { id: Number(e.id) } }, body: changes })));
  return (
    <>
      <label className="toggle"><input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> {t('showArchived')}</label>
      <ResourceStatus resource={entries} what={`GET ${route.list}`} />
      <ul className="admin-list" data-catalog={kind}>
        {((entries.data ?? []) as Entry[]).filter((e) => !archived || e.archived !== false).map((e) => (
          <EntryRow key={String(e.id)} entry={e} archived={archived} onSave={(changes) => change(e, changes)}
            onArchive={() => { if (window.confirm(t(words.archiveConfirm, { name: e.name }))) void run(() => body(remove(route.one, { params: { path: { id: Number(e.id) } } }))); }}
            onRestore={() => void change(e, { archived: false })} />
        ))}
      </ul>
      {!archived && (
        <form className="row" onSubmit={(e) => {
          e.preventDefault();
          void run(async () => { await body(post(route.list, { body: { name } })); setName(''); });
        }}>
          <input aria-label={t(words.create)} placeholder={t(words.create)} value={name} required onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="primary">{t('create')}</button>
        </form>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
}

function EntryRow({ entry, archived, onSave, onArchive, onRestore }: {
  entry: Entry; archived: boolean; onSave: (changes: Changes) => Promise<boolean>; onArchive: () => void; onRestore: () => void;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(entry.name);
  const [nameRu, setNameRu] = useState(entry.nameRu ?? '');
  if (editing) {
    return (
      <li>
        <form className="row" onSubmit={(e) => {
          e.preventDefault();
          void onSave({ name: name.trim(), nameRu: nameRu.trim() === '' ? null : nameRu.trim() }).then((saved) => { if (saved) setEditing(false); });
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
      {entry.name}{entry.nameRu ? <span className="muted"> · {entry.nameRu}</span> : null}{' '}
      {archived
        ? <button type="button" onClick={onRestore}>{t('restore')}</button>
        : <>
          <button type="button" onClick={() => { setName(entry.name); setNameRu(entry.nameRu ?? ''); setEditing(true); }} aria-label={t('lossReasonEdit', { name: entry.name })}>{t('edit')}</button>{' '}
          <button type="button" className="danger" onClick={onArchive} aria-label={t('lossReasonArchive', { name: entry.name })}>{t('archive')}</button>
        </>}
    </li>
  );
}

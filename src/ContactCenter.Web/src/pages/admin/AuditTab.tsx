import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n, type Translate } from '../../i18n';
import { body, client } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { ApiError } from '../../lib/api';
import { auditChanges, subjectName } from '../../lib/auditDiff';
import { explain } from '../../lib/errors';
import { fullTime } from '../../lib/format';
import { languages, type StringKey } from '../../strings';
import type { AuditEntry } from '../../types';

// The actions the server records (docs/API-EXTENSIONS.md, "User lifecycle and audit"), offered as the filter.
export const auditActions = [
  'user.created', 'user.updated', 'user.password-reset', 'user.password-changed', 'user.logout-all',
  'login.failed', 'login.locked',
  'channel.created', 'channel.updated', 'channel.member-added', 'channel.member-removed',
  'pipeline.created', 'pipeline.updated', 'automation-rule.created', 'automation-rule.updated', 'automation-rule.deleted',
  'crm-settings.updated',
];
const pageSize = 50;

export function actionLabel(action: string, t: Translate): string {
  const key = `audit_${action}` as StringKey;
  return key in languages.en ? t(key) : action;
}

/** The audit log, newest first, filtered by action and actor, a page at a time (the server's cursor). */
export function AuditTab() {
  const { t, locale } = useI18n();
  const users = useApiGet('/api/users');
  const [action, setAction] = useState('');
  const [actorId, setActorId] = useState('');
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const gen = useRef(0);

  const load = useCallback(async (cursor: string | null) => {
    const mine = ++gen.current;
    setLoading(true);
    setError(null);
    try {
      const filter = { action: action || undefined, actorId: actorId || undefined, cursor: cursor ?? undefined, limit: String(pageSize) };
      const page = await body(client.GET('/api/admin/audit', { params: { query: filter } }));
      if (mine !== gen.current) return;
      setItems((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.nextCursor ?? null);
    } catch (e) {
      if (mine !== gen.current) return;
      setError(e instanceof ApiError && e.notAvailable ? t('notAvailable', { what: 'GET /api/admin/audit' }) : explain(e, t));
    } finally {
      if (mine === gen.current) setLoading(false);
    }
  }, [action, actorId, t]);

  useEffect(() => { setItems([]); setNext(null); void load(null); }, [load]);

  const userName = (id: AuditEntry['actorId']) => {
    if (id === null || id === undefined) return t('auditNoActor');
    return users.data?.find((u) => String(u.id) === String(id))?.name ?? `#${String(id)}`;
  };

  return (
    <section className="audit" aria-label={t('audit')}>
      <div className="row audit-filters">
        <label>{t('auditAction')}
          <select value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">{t('auditAnyAction')}</option>
            {auditActions.map((a) => <option key={a} value={a}>{actionLabel(a, t)}</option>)}
          </select>
        </label>
        <label>{t('auditActor')}
          <select value={actorId} onChange={(e) => setActorId(e.target.value)}>
            <option value="">{t('auditAnyActor')}</option>
            {(users.data ?? []).map((u) => <option key={String(u.id)} value={String(u.id)}>{u.name}</option>)}
          </select>
        </label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <table className="stats audit-table stack-table">
        <thead><tr><th>{t('auditTime')}</th><th>{t('auditActor')}</th><th>{t('auditAction')}</th><th>{t('auditSubject')}</th><th>{t('auditChanges')}</th></tr></thead>
        <tbody>
          {items.map((row) => <AuditRow key={String(row.id)} row={row} actor={userName(row.actorId)} locale={locale} t={t} />)}
        </tbody>
      </table>
      {!loading && !error && items.length === 0 && <p className="muted">{t('auditEmpty')}</p>}
      {loading && <p className="muted">{t('loading')}</p>}
      {next && !loading && <button type="button" onClick={() => void load(next)}>{t('loadMore')}</button>}
    </section>
  );
}

function AuditRow({ row, actor, locale, t }: { row: AuditEntry; actor: string; locale: string; t: Translate }) {
  const changes = auditChanges(row.before, row.after);
  const name = subjectName(row.before, row.after);
  const shown = changes.slice(0, 6);
  return (
    <tr data-audit-id={String(row.id)} data-action={row.action}>
      <td data-label={t('auditTime')}><time dateTime={row.at}>{fullTime(row.at, locale)}</time></td>
      <td data-label={t('auditActor')}>{actor}</td>
      <td data-label={t('auditAction')}>{actionLabel(row.action, t)} <code className="muted">{row.action}</code></td>
      <td data-label={t('auditSubject')} className="wrap-anywhere">
        {row.subjectType ?? ''}{row.subjectId !== null && row.subjectId !== undefined ? ` #${String(row.subjectId)}` : ''}{name ? ` · ${name}` : ''}
      </td>
      <td data-label={t('auditChanges')}>
        <ul className="diff">
          {shown.map((c) => (
            <li key={c.field}>
              {c.field && <code>{c.field}</code>}{c.field && ': '}
              {c.before !== null && <del>{c.before}</del>}
              {c.before !== null && c.after !== null && ' → '}
              {c.after !== null && <ins>{c.after}</ins>}
            </li>
          ))}
          {changes.length > shown.length && <li className="muted">{t('auditMore', { count: changes.length - shown.length })}</li>}
        </ul>
      </td>
    </tr>
  );
}

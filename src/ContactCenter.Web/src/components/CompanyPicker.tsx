import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { body, client, type Schemas } from '../api/client';
import { useI18n } from '../i18n';
import { explain } from '../lib/errors';
import type { Id } from '../types';

type CompanyRow = Schemas['CompanyListItem'];

/**
 * The company a contact or a deal is with: a select of the companies the caller sees, narrowed by a search box when there
 * are more than fit in one list (the server's `q`), and a link to the company's card. The server checks the pick (a
 * company the caller cannot see is a 404), so the list is a convenience, not the rule.
 */
export function CompanyPicker({ companyId, companyName, disabled, onPick }: {
  companyId: Id | null | undefined;
  companyName: string | null | undefined;
  disabled?: boolean;
  onPick: (companyId: number | null) => Promise<void>;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [companies, setCompanies] = useState<CompanyRow[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (disabled) return;
    const timer = window.setTimeout(() => {
      body(client.GET('/api/companies', { params: { query: { q: q.trim() || undefined, limit: 100 } } }))
        .then((p) => { setCompanies(p.items); setMore(!!p.nextCursor); })
        .catch((e) => setError(explain(e, t)));
    }, q ? 250 : 0);
    return () => window.clearTimeout(timer);
  }, [q, disabled, t]);

  async function change(value: string) {
    try {
      setError(null);
      await onPick(value ? Number(value) : null);
    } catch (e) {
      setError(explain(e, t));
    }
  }

  const current = companyId == null ? '' : String(companyId);
  const listed = companies.some((c) => String(c.id) === current);
  return (
    <span className="company-picker">
      <select aria-label={t('contactCompany')} value={current} disabled={disabled} onChange={(e) => void change(e.target.value)}>
        <option value="">{t('contactNoCompany')}</option>
        {!listed && current && <option value={current}>{companyName ?? `#${current}`}</option>}
        {companies.map((c) => <option key={String(c.id)} value={String(c.id)}>{c.name}</option>)}
      </select>
      {(more || q) && !disabled && (
        <input type="search" aria-label={t('companyFind')} placeholder={t('companyFind')} value={q} onChange={(e) => setQ(e.target.value)} />
      )}
      {companyId != null && <> <Link to={`/companies/${encodeURIComponent(String(companyId))}`}>{t('contactOpenCard')}</Link></>}
      {error && <span className="error" role="alert">{error}</span>}
    </span>
  );
}

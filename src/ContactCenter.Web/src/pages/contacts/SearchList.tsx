import { useEffect, useState, type ReactNode } from 'react';
import { useCursorPages } from '../../api/useCursorPages';
import { useI18n } from '../../i18n';
import { explain } from '../../lib/errors';
import { Link } from 'react-router';
import type { Id } from '../../types';
import { enc } from './contactsApi';

/**
 * `/contacts` and `/companies`: a search box (the server matches as the person types, 250 ms after the last key),
 * one line per row linking to its card, keyset "More". `actions` go beside the search (new, import).
 */
export function SearchList<T extends { id: Id; name: string }>({ url, cardPath, title, searchLabel, empty, more, rowTestId, details, actions }: {
  url: string; cardPath: string; title: string; searchLabel: string; empty: string; more: string; rowTestId: string;
  details: (row: T) => (string | null | undefined)[]; actions: ReactNode;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setSearch(q), 250);
    return () => window.clearTimeout(timer);
  }, [q]);
  const pages = useCursorPages<T>(url, search ? new URLSearchParams({ q: search }) : '');
  const rows = pages.items;
  const error = pages.error ? explain(pages.error, t) : null;

  return (
    <div className="page contacts-page">
      <div className="page-head">
        <h1>{title}</h1>
        <input type="search" className="contacts-search" aria-label={searchLabel} placeholder={searchLabel} maxLength={200} value={q} onChange={(e) => setQ(e.target.value)} />
        {actions}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <ul className="contacts-list" aria-label={title}>
        {rows.map((r) => (
          <li key={String(r.id)} data-testid={rowTestId}>
            <Link to={`${cardPath}/${enc(r.id)}`} className="contact-row-name">{r.name}</Link>
            <span className="muted wrap-anywhere">{details(r).filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ul>
      {rows.length === 0 && !error && !pages.loading && <p className="muted">{empty}</p>}
      {pages.hasMore && <button type="button" onClick={pages.more} disabled={pages.loading}>{more}</button>}
    </div>
  );
}

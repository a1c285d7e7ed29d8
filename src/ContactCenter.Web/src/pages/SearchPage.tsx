import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { api, query } from '../lib/api';
import { fullTime, shortTime } from '../lib/format';
import { snippetParts } from '../lib/snippet';
import { Link, useSearch } from '../router';
import type { Id } from '../types';
import '../components/search.css';

export interface SearchHit { conversationId: Id; messageId: Id; snippet: string; createdAt: string }
interface SearchPageData { items: SearchHit[]; nextCursor: string | null }

/** /search?q=…: the messages and contacts found, newest first; each hit opens the inbox at its message. */
export function SearchPage() {
  const { t, locale } = useI18n();
  const q = (new URLSearchParams(useSearch()).get('q') ?? '').trim();
  const [items, setItems] = useState<SearchHit[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const read = useCallback(async (cursor: string | null) => {
    const gen = cursor ? generation.current : ++generation.current;
    setLoading(true);
    try {
      const page = await api<SearchPageData>('/api/search' + query({ q, limit: 20, cursor }));
      if (gen !== generation.current) return;
      setItems((list) => (cursor ? [...list, ...page.items] : page.items));
      setNext(page.nextCursor);
      setError(null);
    } catch (e) {
      if (gen === generation.current) setError((e as Error).message);
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, [q]);

  useEffect(() => {
    setItems([]);
    setNext(null);
    if (q) void read(null);
  }, [q, read]);

  return (
    <section className="page search-page" aria-label={t('searchResults')}>
      <h1>{q ? t('searchResultsFor', { q }) : t('searchResults')}</h1>
      {!q && <p className="muted">{t('searchTypeSomething')}</p>}
      {error && <p className="error" role="alert">{t('errorGeneric', { reason: error })}</p>}
      <ol className="search-hits" data-testid="search-hits">
        {items.map((hit) => (
          <li key={`${String(hit.messageId)}`}>
            <Link to={`/inbox/${encodeURIComponent(String(hit.conversationId))}?message=${encodeURIComponent(String(hit.messageId))}`}
              className="search-hit" data-testid="search-hit" title={t('searchOpenHit')}>
              <span className="snippet">
                {snippetParts(hit.snippet).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
              </span>
              <time dateTime={hit.createdAt} title={fullTime(hit.createdAt, locale)}>{shortTime(hit.createdAt, locale)}</time>
            </Link>
          </li>
        ))}
      </ol>
      {loading && <p className="muted">{t('searchSearching')}</p>}
      {!loading && q && !error && items.length === 0 && <p className="muted" data-testid="search-empty">{t('searchNothing', { q })}</p>}
      {next && !loading && <button type="button" onClick={() => void read(next)}>{t('searchMore')}</button>}
    </section>
  );
}

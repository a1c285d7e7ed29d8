import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { body, client, type Schemas } from '../api/client';
import { fullTime, money, shortTime } from '../lib/format';
import { snippetParts } from '../lib/snippet';
import { Link, useSearchParams } from 'react-router';
import '../components/search.css';

export type SearchHit = Schemas['Hit'];

/** `GET /api/search/records`: the deals, leads, contacts and companies the caller sees whose title, name, email or phone matches. */
export type SearchRecords = Schemas['Records'];

const noRecords: SearchRecords = { deals: [], leads: [], contacts: [], companies: [] };

interface RecordLine { key: string; to: string; title: string; detail: string }

function recordLines(records: SearchRecords, locale: string): { kind: 'deals' | 'leads' | 'contacts' | 'companies'; lines: RecordLine[] }[] {
  const join = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' · ');
  return [
    { kind: 'deals', lines: records.deals.map((d) => ({ key: `d${String(d.id)}`, to: `/deals/${String(d.id)}`, title: d.title,
      detail: join(money(d.amount, locale, d.currency), d.stageName, d.contactName) })) },
    { kind: 'leads', lines: records.leads.map((l) => ({ key: `l${String(l.id)}`, to: `/leads/${String(l.id)}`, title: l.title, detail: join(l.contactName) })) },
    { kind: 'contacts', lines: records.contacts.map((c) => ({ key: `c${String(c.id)}`, to: `/contacts/${String(c.id)}`, title: c.name,
      detail: join(c.email, c.phone, c.companyName) })) },
    { kind: 'companies', lines: records.companies.map((c) => ({ key: `o${String(c.id)}`, to: `/companies/${String(c.id)}`, title: c.name, detail: join(c.email, c.phone) })) },
  ];
}

/** /search?q=…: the messages and contacts found, newest first; each hit opens the inbox at its message. */
export function SearchPage() {
  const { t, locale } = useI18n();
  const q = (useSearchParams()[0].get('q') ?? '').trim();
  const [items, setItems] = useState<SearchHit[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [records, setRecords] = useState<SearchRecords>(noRecords);
  // The records are asked for beside the messages and may be answered later, or refused (both wait at the search gate):
  // "nothing found" only once both have answered, and a refusal is said, not taken for "no records".
  const [recordsLoading, setRecordsLoading] = useState(false);
  const [recordsError, setRecordsError] = useState<string | null>(null);
  const generation = useRef(0);

  const read = useCallback(async (cursor: string | null) => {
    const gen = cursor ? generation.current : ++generation.current;
    setLoading(true);
    try {
      const page = await body(client.GET('/api/search', { params: { query: { q, limit: 20, cursor: cursor ?? undefined } } }));
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

  useEffect(() => {
    setRecords(noRecords);
    setRecordsError(null);
    setRecordsLoading(!!q);
    if (!q) return;
    let current = true;
    body(client.GET('/api/search/records', { params: { query: { q, limit: 5 } } }))
      .then((found) => { if (current) setRecords(found); })
      .catch((e: unknown) => { if (current) setRecordsError((e as Error).message); })
      .finally(() => { if (current) setRecordsLoading(false); });
    return () => { current = false; };
  }, [q]);

  const groups = recordLines(records, locale).filter((g) => g.lines.length > 0);
  const recordCount = groups.reduce((n, g) => n + g.lines.length, 0);

  return (
    <section className="page search-page" aria-label={t('searchResults')}>
      <h1>{q ? t('searchResultsFor', { q }) : t('searchResults')}</h1>
      {!q && <p className="muted">{t('searchTypeSomething')}</p>}
      {error && <p className="error" role="alert">{t('errorGeneric', { reason: error })}</p>}
      {recordsError && <p className="error" role="alert" data-testid="search-records-error">{t('searchRecordsFailed', { reason: recordsError })}</p>}
      {groups.length > 0 && (
        <div className="search-records" data-testid="search-records">
          {groups.map((g) => (
            <section key={g.kind} aria-label={t(`searchRecords_${g.kind}`)}>
              <h2>{t(`searchRecords_${g.kind}`)}</h2>
              <ul>
                {g.lines.map((line) => (
                  <li key={line.key}>
                    <Link to={line.to} className="search-record" data-testid={`search-record-${g.kind}`}>
                      <span className="title">{line.title}</span>
                      {line.detail && <span className="detail">{line.detail}</span>}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
      {q && items.length > 0 && recordCount > 0 && <h2 className="search-messages-heading">{t('searchRecords_messages')}</h2>}
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
      {(loading || recordsLoading) && <p className="muted" data-testid="search-searching">{t('searchSearching')}</p>}
      {!loading && !recordsLoading && q && !error && !recordsError && items.length === 0 && recordCount === 0 &&
        <p className="muted" data-testid="search-empty">{t('searchNothing', { q })}</p>}
      {next && !loading && <button type="button" onClick={() => void read(next)}>{t('searchMore')}</button>}
    </section>
  );
}

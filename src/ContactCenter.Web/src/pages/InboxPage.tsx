import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ConversationList } from '../components/ConversationList';
import { ListShortcuts } from '../components/ListShortcuts';
import { PanelBar } from '../components/PanelBar';
import { InboxFilterBar } from '../components/InboxFilterBar';
import { PossibleDuplicate, SidePanel } from '../components/SidePanel';
import { Thread, type TakenAway } from '../components/Thread';
import { LabelBulkBar } from '../components/labels/LabelBulkBar';
import { LabelFilter } from '../components/labels/LabelFilter';
import { useI18n } from '../i18n';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { body, client as apiClient } from '../api/client';
import { listItems } from '../lib/inboxCache';
import { dayBound, type ListFilter } from '../lib/inboxList';
import { keys } from '../lib/queryClient';
import { reread } from '../lib/hubCache';
import { ApiError } from '../lib/api';
import { filterFromUrl, filterToUrl } from '../lib/inboxUrl';
import { useConversation, useHubEvent, useJoined } from '../live';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { sameId, type Channel, type ConversationDetails, type Id } from '../types';

const FilterKey = 'cc.inboxFilter';
const PageSize = 30;

function initialFilter(): ListFilter {
  const fromUrl = filterFromUrl(location.search);
  if (fromUrl) return fromUrl;
  try {
    const f = JSON.parse(sessionStorage.getItem(FilterKey) ?? 'null');
    if (f && ['mine', 'unassigned', 'all'].includes(f.view)) {
      return { view: f.view, status: f.status ?? 'open', channelId: f.channelId ?? '', q: '', assigneeId: f.assigneeId ?? '', from: f.from ?? '', to: f.to ?? '', unread: !!f.unread, sort: f.sort ?? 'newest', labelId: f.labelId ?? '' };
    }
  } catch { /* default */ }
  return { view: 'all', status: 'open', channelId: '', q: '' };
}

export function InboxPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const path = useLocation().pathname;
  const selectedId = useParams().id || null;
  // /inbox/{id}?message={messageId}: opened from a search hit.
  const focusMessageId = useSearchParams()[0].get('message');

  const [filter, setFilter] = useState<ListFilter>(initialFilter);
  const [searchText, setSearchText] = useState('');
  const [channels, setChannels] = useState<Channel[]>([]);
  const client = useQueryClient();
  // The open conversation's details: read by the thread, shown by the side panel; an edit's answer goes to the cache.
  const details = useConversation(selectedId).data ?? null;
  const setDetails = useCallback((d: ConversationDetails) => client.setQueryData(keys.conversation(String(d.id)), d), [client]);
  const [laterFor, setLaterFor] = useState<Id | null>(null);
  // The open conversation a colleague took: it stays on screen, read-only, until the manager closes it.
  const [takenAway, setTakenAway] = useState<{ id: string; taken: TakenAway } | null>(null);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const joined = useJoined();

  useEffect(() => { sessionStorage.setItem(FilterKey, JSON.stringify({ ...filter, q: '' })); }, [filter]);
  // The filters live in the URL too (a link or a reload keeps them), whatever path the inbox shows.
  useEffect(() => {
    // A search hit's `message` (open the thread at that message) is the thread's, not the filter's: it stays.
    const hit = new URLSearchParams(location.search).get('message');
    const filters = filterToUrl(filter);
    const search = hit ? `${filters ? `${filters}&` : '?'}message=${encodeURIComponent(hit)}` : filters;
    if (location.search !== search) navigate(location.pathname + search, { replace: true });
  }, [filter, path, navigate]);
  useEffect(() => {
    const timer = window.setTimeout(() => setFilter((f) => (f.q === searchText ? f : { ...f, q: searchText })), 300);
    return () => window.clearTimeout(timer);
  }, [searchText]);
  const loadChannels = useCallback(() => { body(apiClient.GET('/api/channels')).then(setChannels).catch(() => setChannels([])); }, []);
  useEffect(() => { loadChannels(); }, [loadChannels]);

  // The list lives in the query cache under its filter; hub events update it there (lib/hubCache.ts).
  const list = useInfiniteQuery({
    queryKey: keys.list(filter),
    queryFn: async ({ pageParam }) => {
      await joined();
      // An empty filter field is left out of the query, as the server reads a missing one.
      const text = (value: string | null | undefined) => value || undefined;
      const id = (value: string | undefined) => (value ? Number(value) : undefined);
      return body(apiClient.GET('/api/conversations', { params: { query: {
        view: filter.view, status: text(filter.status), channelId: id(filter.channelId), q: text(filter.q), labelId: id(filter.labelId),
        limit: PageSize, cursor: text(pageParam), assigneeId: text(filter.assigneeId), unread: filter.unread || undefined,
        sort: filter.sort === 'newest' ? undefined : filter.sort,
        from: filter.from ? dayBound(filter.from, false).toISOString() : undefined,
        to: filter.to ? dayBound(filter.to, true).toISOString() : undefined,
      } } }));
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = useMemo(() => listItems(list.data, filter), [list.data, filter]);
  const loading = list.isFetching;
  const error = list.error?.message ?? null;
  const { hasNextPage, isFetching, fetchNextPage } = list;
  const loadMore = useCallback(() => { if (hasNextPage && !isFetching) void fetchNextPage(); }, [hasNextPage, isFetching, fetchNextPage]);

  // Whether the open conversation is visible is asked by more than one event (a resync, an update while the notice shows);
  // only the latest question's answer counts, so an earlier read's 200 arriving after a later one's 404 changes nothing.
  const visibilityAsked = useRef(0);
  const askVisible = useCallback((id: string, visible: () => void, gone?: () => void) => {
    const asked = ++visibilityAsked.current;
    apiClient.GET('/api/conversations/{id}', { params: { path: { id: Number(id) } } })
      .then(() => { if (asked === visibilityAsked.current) visible(); })
      .catch((e: unknown) => { if (asked === visibilityAsked.current && e instanceof ApiError && e.status === 404) gone?.(); });
  }, []);
  useHubEvent('conversationUpdated', (c) => {
    if (!takenAway || !sameId(takenAway.id, c.id)) return;
    // Back in view (set unassigned again, handed back, its channel given back)? A push read just before the change that
    // took it away can arrive after it (a read mark's summary, pushed as the caller lost the channel), so only a fresh
    // read says so: 404 keeps the notice. Then what came while it was not the caller's to see is read again — the thread,
    // the conversation and its side panel — instead of the thread as it stood when it went.
    const id = String(c.id);
    askVisible(id, () => {
      reread(client, keys.conversation(id));
      reread(client, keys.messages(id));
      setTakenAway((g) => (g && sameId(g.id, id) ? null : g));
    });
  });
  // After a resync (the caller joined or left a channel, or the hub reconnected) the open conversation may no longer be
  // theirs to see: it turns read-only with "no longer visible" rather than keeping its controls over a raw error.
  useHubEvent('resync', () => {
    loadChannels();
    const open = selectedId;
    if (!open) return;
    askVisible(String(open),
      () => setTakenAway((g) => (g && sameId(g.id, open) && g.taken.assignee === null ? null : g)),
      () => setTakenAway({ id: String(open), taken: { assignee: null } }));
  });
  useHubEvent('conversationRemoved', ({ id, assignee }) => {
    if (!sameId(selectedId, id)) return;
    visibilityAsked.current++; // a question asked before the removal is answered by it
    setTakenAway({ id: String(id), taken: { assignee: assignee ?? null } });
  });

  const selected = useMemo(() => items.find((c) => sameId(c.id, selectedId)) ?? null, [items, selectedId]);
  // Phone layout (phone.css): list, thread and panel are one screen each; the panel is opened from the thread.
  const [panelOpen, setPanelOpen] = useState(false);
  useEffect(() => { setPanelOpen(false); }, [selectedId]);

  return (
    <div className={`inbox ${selectedId ? 'has-selection' : ''} ${panelOpen ? 'panel-open' : ''}`}>
      <section className="list-pane" aria-label={t('conversations')}>
        <div className="filters">
          <div role="tablist" aria-label={t('views')} className="views">
            {(['mine', 'unassigned', 'all'] as const).map((v) => (
              <button key={v} role="tab" type="button" aria-selected={filter.view === v}
                className={filter.view === v ? 'active' : ''} onClick={() => setFilter((f) => ({ ...f, view: v }))}>
                {t(v === 'mine' ? 'viewMine' : v === 'unassigned' ? 'viewUnassigned' : 'viewAll')}
              </button>
            ))}
          </div>
          <InboxFilterBar filter={filter} onChange={(patch) => setFilter((f) => ({ ...f, ...patch }))} />
          <div className="row">
            <select aria-label={t('channelFilter')} value={filter.channelId} onChange={(e) => setFilter((f) => ({ ...f, channelId: e.target.value }))}>
              <option value="">{t('anyChannel')}</option>
              {channels.map((c) => <option key={String(c.id)} value={String(c.id)}>{c.name}</option>)}
            </select>
            <LabelFilter value={filter.labelId ?? ''} onChange={(labelId) => setFilter((f) => ({ ...f, labelId }))} />
          </div>
          <input type="search" aria-label={t('search')} placeholder={t('searchPlaceholder')} value={searchText}
            onChange={(e) => setSearchText(e.target.value)} />
        </div>
        {error && <p className="error" role="alert">{t('errorGeneric', { reason: error })}</p>}
        <LabelBulkBar selected={[...checked]} onDone={() => setChecked(new Set())} />
        <ConversationList items={items} selectedId={selectedId} loading={loading} hasMore={hasNextPage}
          checked={checked} onCheck={(id, on) => setChecked((s) => { const n = new Set(s); if (on) n.add(id); else n.delete(id); return n; })}
          onMore={loadMore} onOpen={(id) => navigate(`/inbox/${encodeURIComponent(String(id))}${location.search}`)} />
        <ListShortcuts items={items} selectedId={selectedId} onOpen={(id) => navigate(`/inbox/${encodeURIComponent(String(id))}${location.search}`)} />
      </section>
      {selectedId ? (
        <>
          <Thread key={`${selectedId}:${focusMessageId ?? ''}`} conversationId={selectedId} summary={selected} focusMessageId={focusMessageId}
            takenAway={takenAway && sameId(takenAway.id, selectedId) ? takenAway.taken : null}
            onClose={() => { setTakenAway(null); navigate(`/inbox${location.search}`, { replace: true }); }}
            onBack={() => navigate(`/inbox${location.search}`)} onPanel={() => setPanelOpen(true)} />
          {panelOpen && <PanelBar onBack={() => setPanelOpen(false)} />}
          <SidePanel details={details && sameId(details.id, selectedId) ? details : null} onDetails={setDetails} lastMessageId={(details && sameId(details.id, selectedId) ? details.lastMessage?.id : selected?.lastMessage?.id) ?? null} />
          {details && sameId(details.id, selectedId) && details.possibleDuplicate && !sameId(laterFor, details.id) && (
            // Narrow screens hide the side panel: the suggestion comes up as a sheet instead (hidden on wide screens).
            <div className="duplicate-sheet">
              <PossibleDuplicate details={details} onDetails={setDetails} onLater={() => setLaterFor(details.id)} />
            </div>
          )}
        </>
      ) : (
        <section className="thread empty"><p>{t('pickConversation')}</p></section>
      )}
    </div>
  );
}

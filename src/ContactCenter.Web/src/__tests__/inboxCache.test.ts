import { describe, expect, it } from 'vitest';
import { InfiniteQueryObserver, QueryClient } from '@tanstack/react-query';
import { applyRemoved, applyUpdated, listItems, type ListPages } from '../lib/inboxCache';
import { feedCache } from '../lib/hubCache';
import type { ListFilter } from '../lib/inboxList';
import { keys, makeQueryClient } from '../lib/queryClient';
import type { ConversationDetails, ConversationSummary, Counters } from '../types';
import { fakeHub, pagesOf } from './cacheFixtures';

const conv = (id: number, at: string, patch: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id, channel: { id: 1, kind: 'api', name: 'API' }, contact: { id, name: `Contact ${id}` }, status: 'open', assignee: null,
  unreadCount: 0, lastMessage: { id: id * 10, direction: 'inbound', preview: 'hi', createdAt: at }, waitingSince: null,
  leadId: null, dealId: null, createdAt: at, updatedAt: at, ...patch,
});
const all: ListFilter = { view: 'all', status: 'open', channelId: '', q: '' };
const ids = (data: ListPages | null, f = all) => listItems(data ?? undefined, f).map((c) => c.id);


describe('conversation list pages in the cache', () => {
  const page1 = [conv(5, '2026-01-01T10:00:00Z'), conv(4, '2026-01-01T09:00:00Z')];
  const page2 = [conv(3, '2026-01-01T08:00:00Z'), conv(2, '2026-01-01T07:00:00Z')];

  it('a message for a conversation on page 2 moves it to the top, listed once', () => {
    const next = applyUpdated(pagesOf(page1, page2), conv(2, '2026-01-01T11:00:00Z', { unreadCount: 1 }), all, 7);
    expect(ids(next)).toEqual([2, 5, 4, 3]);
    expect(next!.pages[1].items.map((c) => c.id)).toEqual([3]);
    expect(next!.pages[1].nextCursor).toBeNull();
  });

  it('a conversation on page 2 that leaves the view is dropped from it', () => {
    const next = applyUpdated(pagesOf(page1, page2), conv(3, '2026-01-01T08:00:00Z', { status: 'resolved' }), all, 7);
    expect(ids(next)).toEqual([5, 4, 2]);
  });

  it('a new conversation of the view joins; one of another view does not', () => {
    expect(ids(applyUpdated(pagesOf(page1), conv(9, '2026-01-01T12:00:00Z'), all, 7))).toEqual([9, 5, 4]);
    expect(ids(applyUpdated(pagesOf(page1), conv(9, '2026-01-01T12:00:00Z'), { ...all, view: 'mine' }, 7))).toEqual([5, 4]);
  });

  it('an unknown conversation under a search is left to the server', () => {
    const searching = { ...all, q: 'Contact' };
    expect(applyUpdated(pagesOf(page1), conv(9, '2026-01-01T12:00:00Z'), searching, 7)).toBeNull();
    expect(ids(applyUpdated(pagesOf(page1), conv(5, '2026-01-01T12:00:00Z', { unreadCount: 2 }), searching, 7), searching)).toEqual([5, 4]);
  });

  it('a removal drops the conversation from whichever page holds it', () => {
    expect(ids(applyRemoved(pagesOf(page1, page2), 3))).toEqual([5, 4, 2]);
  });

  it('pages that overlap (a row moved while paging) list each conversation once', () => {
    expect(ids(pagesOf(page1, [page1[1], ...page2]))).toEqual([5, 4, 3, 2]);
  });
});

describe('hub events into the query cache', () => {
  const seed = (client: QueryClient, f: ListFilter, ...pages: ConversationSummary[][]) => client.setQueryData(keys.list(f), pagesOf(...pages));

  it('countersChanged adds a step that follows the cached version, ignores an older one and re-reads after a gap', async () => {
    const client = makeQueryClient();
    const { hub, raise } = fakeHub();
    feedCache(hub, client, 7);
    const v = (n: number) => String(n).padStart(32, '0');
    const changes = (c: Partial<Counters>) => ({ unreadConversations: 0, unreadMessages: 0, mine: 0, unassigned: 0, overdueActivities: 0, activitiesDueToday: 0, dealsWithoutActivity: 0, ...c });
    client.setQueryData<Counters>(keys.counters, { version: v(1), ...changes({ unreadConversations: 1 }) });
    raise('countersChanged', { version: v(2), from: v(1), changes: changes({ unreadConversations: 3, overdueActivities: 2 }) });
    expect(client.getQueryData<Counters>(keys.counters)).toMatchObject({ version: v(2), unreadConversations: 4, overdueActivities: 2 });
    raise('countersChanged', { version: v(2), from: v(1), changes: changes({ unreadConversations: 3 }) });
    expect(client.getQueryData<Counters>(keys.counters)).toMatchObject({ version: v(2), unreadConversations: 4 });
    raise('countersChanged', { version: v(4), from: v(3), changes: changes({ unreadConversations: 1 }) });
    expect(client.getQueryState(keys.counters)?.isInvalidated).toBe(true);
  });

  it('an event that arrives during a list\'s FIRST read has the list read again (TanStack would keep the read in flight)', async () => {
    const client = makeQueryClient();
    const { hub, raise } = fakeHub();
    feedCache(hub, client, 7);
    const server: ConversationSummary[] = [];
    const answers: Array<() => void> = [];
    let reads = 0;
    const observer = new InfiniteQueryObserver(client, {
      queryKey: keys.list(all),
      initialPageParam: null as string | null,
      getNextPageParam: () => undefined,
      // Each read takes the server's list as it is when the read is made, and answers when the test says.
      queryFn: () => { reads++; const items = [...server]; return new Promise((resolve) => answers.push(() => resolve({ items, nextCursor: null }))); },
    });
    const off = observer.subscribe(() => undefined);
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toBe(1);
    // The conversation commits after the first read was made, and its event arrives before that read answers.
    const c = conv(9, '2026-01-01T12:00:00Z');
    server.push(c);
    raise('conversationUpdated', c);
    answers[0]();
    for (let i = 0; i < 20 && reads < 2; i++) await new Promise((r) => setTimeout(r, 0));
    expect(reads).toBe(2);
    answers[1]();
    const listed = () => ids((observer.getCurrentResult().data as ListPages | undefined) ?? null);
    for (let i = 0; i < 20 && listed().length === 0; i++) await new Promise((r) => setTimeout(r, 0));
    expect(ids((observer.getCurrentResult().data as ListPages | undefined) ?? null)).toEqual([9]);
    off();
  });

  it('a conversation handed to another assignee has its details read again (who only takes part is the server\'s to say)', () => {
    const client = makeQueryClient();
    const { hub, raise } = fakeHub();
    feedCache(hub, client, 7);
    const details = { ...conv(3, '2026-01-01T10:00:00Z', { assignee: { id: 8, name: 'Colleague' } }), participant: true } as unknown as ConversationDetails;
    client.setQueryData(keys.conversation('3'), details);
    raise('conversationUpdated', conv(3, '2026-01-01T10:01:00Z', { assignee: { id: 8, name: 'Colleague' }, unreadCount: 1 }));
    expect(client.getQueryState(keys.conversation('3'))?.isInvalidated).toBe(false);
    raise('conversationUpdated', conv(3, '2026-01-01T10:02:00Z', { assignee: { id: 7, name: 'Me' } }));
    expect(client.getQueryState(keys.conversation('3'))?.isInvalidated).toBe(true);
  });

  it('conversationUpdated is written into every cached list by its own filter', () => {
    const client = makeQueryClient();
    const { hub, raise } = fakeHub();
    feedCache(hub, client, 7);
    const mine: ListFilter = { ...all, view: 'mine' };
    seed(client, all, [conv(1, '2026-01-01T10:00:00Z')]);
    seed(client, mine, [conv(1, '2026-01-01T10:00:00Z', { assignee: { id: 7, name: 'Me' } })]);
    raise('conversationUpdated', conv(1, '2026-01-01T11:00:00Z', { assignee: { id: 5, name: 'Mia' } }));
    expect(ids(client.getQueryData<ListPages>(keys.list(all)) ?? null)).toEqual([1]);
    expect(ids(client.getQueryData<ListPages>(keys.list(mine)) ?? null, mine)).toEqual([]);
    expect(client.getQueryState(keys.list(all))?.isInvalidated).toBe(false);
  });

  it('an event the cache cannot apply invalidates that list only', () => {
    const client = makeQueryClient();
    const { hub, raise } = fakeHub();
    feedCache(hub, client, 7);
    const searching = { ...all, q: 'acme' };
    seed(client, all, [conv(1, '2026-01-01T10:00:00Z')]);
    seed(client, searching, [conv(1, '2026-01-01T10:00:00Z')]);
    raise('conversationUpdated', conv(2, '2026-01-01T11:00:00Z'));
    expect(client.getQueryState(keys.list(searching))?.isInvalidated).toBe(true);
    expect(client.getQueryState(keys.list(all))?.isInvalidated).toBe(false);
    expect(ids(client.getQueryData<ListPages>(keys.list(all)) ?? null)).toEqual([2, 1]);
  });

  it('a list being read when an event arrives is read again instead of patched', async () => {
    const client = makeQueryClient();
    const { hub, raise } = fakeHub();
    feedCache(hub, client, 7);
    seed(client, all, [conv(1, '2026-01-01T10:00:00Z')]);
    let answer: (p: ListPages) => void = () => undefined;
    const reading = client.fetchQuery({ queryKey: keys.list(all), queryFn: () => new Promise<ListPages>((r) => { answer = r; }) });
    raise('conversationUpdated', conv(2, '2026-01-01T11:00:00Z'));
    expect(client.getQueryState(keys.list(all))?.isInvalidated).toBe(true);
    answer(pagesOf([conv(1, '2026-01-01T10:00:00Z')]));
    await reading;
  });

  it('resync invalidates everything the live views read, and nothing else', () => {
    const client = makeQueryClient();
    const { hub, raise } = fakeHub();
    feedCache(hub, client, 7);
    seed(client, all, [conv(1, '2026-01-01T10:00:00Z')]);
    client.setQueryData(keys.counters, { unreadConversations: 0 });
    client.setQueryData(['reports'], []);
    raise('resync', { reason: 'reconnected' });
    expect(client.getQueryState(keys.list(all))?.isInvalidated).toBe(true);
    expect(client.getQueryState(keys.counters)?.isInvalidated).toBe(true);
    expect(client.getQueryState(['reports'])?.isInvalidated).toBe(false);
  });
});

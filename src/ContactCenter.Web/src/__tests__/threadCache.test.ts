// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { feedCache } from '../lib/hubCache';
import { keys, makeQueryClient } from '../lib/queryClient';
import { applyConversation, applyMessage, newestId, pendingNotLanded, threadMessages, type ThreadPages } from '../lib/threadCache';
import type { ConversationDetails, ConversationSummary, Message } from '../types';
import { fakeHub } from './cacheFixtures';
import type { Schemas } from '../api/client';

type MessageDto = Schemas['MessageDto'];

/** A message as the server writes it (the hub's `messageCreated` payload). */
const msg = (id: number, at: string, patch: Partial<MessageDto> = {}): MessageDto => ({
  id, conversationId: 1, direction: 'inbound', text: `m${id}`, html: null, attachments: [],
  sender: { type: 'contact', id: 9, name: 'Ann' }, status: 'received', error: null, externalId: null, createdAt: at, ...patch,
});
// Newest page first, older pages after (as the thread reads them).
const thread = (...pages: Message[][]): ThreadPages => ({
  pages: pages.map((items, i) => ({ items, nextCursor: i < pages.length - 1 ? `older${i + 1}` : null })),
  pageParams: pages.map((_, i) => (i === 0 ? {} : { cursor: `older${i}` })),
});
const ids = (data: ThreadPages | undefined) => threadMessages(data).map((m) => m.id);


describe('thread pages in the cache', () => {
  const newest = [msg(3, '2026-01-01T10:03:00Z'), msg(4, '2026-01-01T10:04:00Z')];
  const older = [msg(1, '2026-01-01T10:01:00Z'), msg(2, '2026-01-01T10:02:00Z')];

  it('does not put a new message into a thread opened at a search hit before its newest page is read', () => {
    // The message came after messages not loaded: taken for the newest, it had every one of them marked read unseen.
    const atHit: ThreadPages = { pages: [{ items: older, nextCursor: null, newerCursor: '2' }], pageParams: [{ around: '1' }] };
    expect(applyMessage(atHit, msg(9, '2026-01-01T10:09:00Z'), true)).toBe(atHit);
    // A change to a message it holds still lands.
    expect(ids(applyMessage(atHit, msg(2, '2026-01-01T10:02:00Z', { status: 'read' }), false))).toEqual([1, 2]);
    expect(threadMessages(applyMessage(atHit, msg(2, '2026-01-01T10:02:00Z', { status: 'read' }), false))[1].status).toBe('read');
    // Once the newest page is read (no newer cursor), new messages go on it as before.
    expect(ids(applyMessage(thread(newest, older), msg(9, '2026-01-01T10:09:00Z'), true))).toEqual([1, 2, 3, 4, 9]);
  });

  it('lists every page oldest first, each message once', () => {
    expect(ids(thread(newest, [...older, newest[0]]))).toEqual([1, 2, 3, 4]);
  });

  it('a new message joins the newest page', () => {
    const next = applyMessage(thread(newest, older), msg(5, '2026-01-01T10:05:00Z'), true);
    expect(ids(next)).toEqual([1, 2, 3, 4, 5]);
    expect(next.pages[0].items.map((m) => m.id)).toEqual([3, 4, 5]);
  });

  it('a status update replaces the message on the older page that holds it', () => {
    const next = applyMessage(thread(newest, older), msg(1, '2026-01-01T10:01:00Z', { status: 'failed', error: 'no' }), false);
    expect(next.pages[1].items[0]).toMatchObject({ id: 1, status: 'failed' });
    expect(ids(next)).toEqual([1, 2, 3, 4]);
  });

  it('a late creation does not undo a later state already there', () => {
    const sent = thread([msg(7, '2026-01-01T10:07:00Z', { direction: 'outbound', status: 'sent' })]);
    const next = applyMessage(sent, msg(7, '2026-01-01T10:07:00Z', { direction: 'outbound', status: 'queued' }), true);
    expect(threadMessages(next)[0].status).toBe('sent');
  });

  it('a pushed summary updates the details and keeps the contact', () => {
    const d = { id: 1, status: 'open', contact: { id: 9, name: 'Ann', identities: [] }, assignee: null } as unknown as ConversationDetails;
    const next = applyConversation(d, { id: 1, status: 'resolved', contact: { id: 9, name: 'A.' }, assignee: { id: 5, name: 'Mia' } } as unknown as ConversationSummary);
    expect(next).toMatchObject({ status: 'resolved', assignee: { id: 5 }, contact: { name: 'Ann', identities: [] } });
  });
});

describe('message events into the query cache', () => {
  it('messageCreated and messageUpdated reach every cached thread of their conversation only', () => {
    const client = makeQueryClient();
    const { hub, raise } = fakeHub();
    feedCache(hub, client, 7);
    client.setQueryData(keys.thread('1', null), thread([msg(1, '2026-01-01T10:01:00Z')]));
    client.setQueryData(keys.thread('1', '1'), thread([msg(1, '2026-01-01T10:01:00Z')]));
    client.setQueryData(keys.thread('2', null), thread([msg(8, '2026-01-01T10:01:00Z', { conversationId: 2 })]));
    raise('messageCreated', msg(2, '2026-01-01T10:02:00Z'));
    raise('messageUpdated', msg(1, '2026-01-01T10:01:00Z', { status: 'read' }));
    expect(ids(client.getQueryData(keys.thread('1', null)))).toEqual([1, 2]);
    expect(ids(client.getQueryData(keys.thread('1', '1')))).toEqual([1, 2]);
    expect(threadMessages(client.getQueryData(keys.thread('1', null)))[0].status).toBe('read');
    expect(ids(client.getQueryData(keys.thread('2', null)))).toEqual([8]);
  });

  it('conversationUpdated reaches the open conversation\'s details', () => {
    const client = makeQueryClient();
    const { hub, raise } = fakeHub();
    feedCache(hub, client, 7);
    client.setQueryData(keys.conversation('1'), { id: 1, status: 'open', contact: { id: 9, name: 'Ann' } });
    raise('conversationUpdated', { id: 1, status: 'snoozed', contact: { id: 9, name: 'Ann' }, channel: { id: 1, kind: 'api', name: 'API' },
      assignee: null, unreadCount: 0, lastMessage: null, createdAt: '2026-01-01T10:00:00Z' } as unknown as ConversationSummary);
    expect(client.getQueryData<ConversationDetails>(keys.conversation('1'))?.status).toBe('snoozed');
  });
});

describe('the browser\'s own replies on their way', () => {
  const me = { type: 'user', id: 5, name: 'Mia' } as const;
  const mine = (id: number, text: string) => msg(id, '2026-01-01T10:05:00Z', { direction: 'outbound', text, sender: me, status: 'sent' });
  const local = (text: string, after: number): Message =>
    ({ ...mine(0, text), id: `local-${text}-${after}`, status: 'queued', pending: true, after });

  it('drops a local copy once its reply has landed, even before the copy\'s own removal renders', () => {
    const server = [msg(1, '2026-01-01T10:01:00Z'), mine(2, 'Here is our price list.')];
    expect(pendingNotLanded(server, [local('Here is our price list.', 1)], 5)).toEqual([]);
  });

  it('keeps a copy whose twin is an older message with the same text, and pairs each reply with one copy', () => {
    const server = [mine(2, 'ok'), mine(4, 'ok')];
    const copies = [local('ok', 1), local('ok', 3), local('ok', 4)];
    // The first copy is message 2's or 4's, the second 4's at most: the third has no twin yet.
    expect(pendingNotLanded(server, copies, 5).map((m) => m.id)).toEqual(['local-ok-4']);
    expect(pendingNotLanded([mine(2, 'ok')], [local('ok', 2)], 5)).toHaveLength(1);
  });

  it('does not take a colleague\'s message or another text for a twin', () => {
    const colleague = { ...mine(3, 'Hello'), sender: { type: 'user', id: 6, name: 'Max' } } as MessageDto;
    expect(pendingNotLanded([colleague, mine(4, 'Hello!')], [local('Hello', 2)], 5)).toHaveLength(1);
  });

  it('knows the newest server id a copy was sent after', () => {
    expect(newestId([msg(3, '2026-01-01T10:03:00Z'), msg(12, '2026-01-01T10:02:00Z')])).toBe(12);
    expect(newestId([])).toBe(0);
  });
});


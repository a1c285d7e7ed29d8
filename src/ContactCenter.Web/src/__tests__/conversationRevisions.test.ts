import { describe, expect, it } from 'vitest';
import { ConversationRevisions } from '../lib/conversationRevisions';
import { applyUpdated, listItems } from '../lib/inboxCache';
import type { ListFilter } from '../lib/inboxList';
import { Realtime, type HubEvents } from '../lib/realtime';
import { applyConversation } from '../lib/threadCache';
import type { ConversationDetails, ConversationSummary } from '../types';
import { pagesOf } from './cacheFixtures';

const conv = (id: number, revision: number | undefined, patch: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id, channel: { id: 1, kind: 'api', name: 'API' }, contact: { id, name: `Contact ${id}` }, status: 'open', assignee: null,
  unreadCount: 0, lastMessage: null, waitingSince: null, leadId: null, dealId: null,
  createdAt: '2026-01-01T10:00:00Z', updatedAt: '2026-01-01T10:00:00Z', revision, ...patch,
});
const all: ListFilter = { view: 'all', status: 'open', channelId: '', q: '' };

describe('conversation revisions order pushes from different requests', () => {
  it('a summary older than a removal already heard is refused; the same or a later one is admitted', () => {
    const r = new ConversationRevisions();
    expect(r.admit(1, 5)).toBe(true);
    r.removed(1, 7);
    expect(r.admit(1, 6)).toBe(false);
    expect(r.admit(1, 7)).toBe(true);
    expect(r.admit(1, 9)).toBe(true);
    expect(r.admit(1, 8)).toBe(false);
    expect(r.admit(2, 0)).toBe(true); // another conversation has its own order
  });

  it('a removal older than what was heard does not lower it; a summary without a revision is admitted', () => {
    const r = new ConversationRevisions();
    expect(r.admit('3', 10)).toBe(true);
    r.removed(3, 4);
    expect(r.admit(3, 9)).toBe(false);
    expect(r.admit(3, undefined)).toBe(true);
  });

  it('the list keeps a later copy it holds and takes a push of the same revision (a read changes the unread count only)', () => {
    const held = pagesOf([conv(1, 4, { unreadCount: 0, assignee: { id: 8, name: 'Boris' } })]);
    const older = applyUpdated(held, conv(1, 3, { unreadCount: 2, assignee: null }), all, 7);
    expect(older).toBe(held);
    const same = applyUpdated(held, conv(1, 4, { unreadCount: 1, assignee: { id: 8, name: 'Boris' } }), all, 7);
    expect(listItems(same!, all).map((c) => c.unreadCount)).toEqual([1]);
    const later = applyUpdated(held, conv(1, 5, { status: 'resolved' }), all, 7);
    expect(listItems(later!, all)).toEqual([]);
  });

  it('open details keep a later state than the push', () => {
    const details = { ...conv(1, 6, { status: 'resolved' }), contact: { id: 1, name: 'Contact 1', email: null, phone: null, identities: [], labels: [] } } as ConversationDetails;
    expect(applyConversation(details, conv(1, 5, { status: 'open' })).status).toBe('resolved');
    expect(applyConversation(details, conv(1, 6, { unreadCount: 3 })).unreadCount).toBe(3);
  });

  it("the hub link drops a read's summary that arrives after the removal it predates, before any handler sees it", () => {
    const link = new Realtime(() => null, 'http://127.0.0.1:1/hubs/inbox');
    const heard: string[] = [];
    link.on('conversationUpdated', (c) => heard.push(`updated ${c.id}@${c.revision}`));
    link.on('conversationRemoved', (r) => heard.push(`removed ${r.id}@${r.revision}`));
    const receive = (link as unknown as { receive: <E extends keyof HubEvents>(name: E, payload: HubEvents[E]) => void }).receive.bind(link);
    receive('conversationRemoved', { id: 1, assignee: { id: 8, name: 'Boris' }, revision: 12 });
    receive('conversationUpdated', conv(1, 11, { unreadCount: 0 })); // the read's summary, taken before the hand-over
    receive('conversationUpdated', conv(1, 13, { assignee: null })); // handed back: seen again
    expect(heard).toEqual(['removed 1@12', 'updated 1@13']);
  });

  it('summaries read before a membership resync are dropped, whatever their revision; those read after it, and summaries without a version, pass', () => {
    const link = new Realtime(() => null, 'http://127.0.0.1:1/hubs/inbox');
    const heard: string[] = [];
    link.on('conversationUpdated', (c) => heard.push(`updated ${c.id}@${c.revision}/${c.audienceVersion ?? '-'}`));
    link.on('resync', (e) => heard.push(`resync ${e.reason}`));
    const receive = (link as unknown as { receive: <E extends keyof HubEvents>(name: E, payload: HubEvents[E]) => void }).receive.bind(link);
    receive('conversationUpdated', conv(1, 4, { audienceVersion: 40 }));
    // The caller left the channel: the change made version 41 (or later) and the resync names what was read after it.
    receive('resync', { reason: 'membership', audienceVersion: 42 });
    // A read mark's summary read at 41 arrives late: same revision (a membership change does not move it), still dropped.
    receive('conversationUpdated', conv(1, 4, { audienceVersion: 41, unreadCount: 0 }));
    receive('conversationUpdated', conv(2, 9, { audienceVersion: 40 })); // another conversation read before it: dropped too
    receive('conversationUpdated', conv(1, 5, { audienceVersion: 42 })); // read after the change: passes
    receive('conversationUpdated', conv(3, 1)); // no version (an older server): nothing to order by
    receive('resync', { reason: 'reconnected' }); // a resync naming no version keeps the floor
    receive('conversationUpdated', conv(2, 10, { audienceVersion: 41 }));
    expect(heard).toEqual(['updated 1@4/40', 'resync membership', 'updated 1@5/42', 'updated 3@1/-', 'resync reconnected']);
  });
});

import { describe, expect, it } from 'vitest';
import { matches, mergePage, type ListFilter } from '../lib/inboxList';
import { push } from './cacheFixtures';
import { filterFromUrl, filterToUrl } from '../lib/inboxUrl';
import type { ConversationSummary } from '../types';

const conv = (id: number, at: string, patch: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id, channel: { id: 1, kind: 'api', name: 'API' }, contact: { id, name: `Contact ${id}` }, status: 'open', assignee: null,
  unreadCount: 0, lastMessage: { id: id * 10, direction: 'inbound', preview: 'hi', createdAt: at }, waitingSince: null,
  leadId: null, dealId: null, createdAt: at, updatedAt: at, ...patch,
});
const open: ListFilter = { view: 'all', status: 'open', channelId: '', q: '' };

describe('inbox states (issue #16)', () => {
  it('a snoozed push leaves the Open list and a woken one comes back', () => {
    const list = [conv(1, '2026-01-01T10:00:00Z'), conv(2, '2026-01-01T09:00:00Z')];
    const snoozed = push(list, conv(1, '2026-01-01T10:00:00Z', { status: 'snoozed', snoozedUntil: '2026-01-02T09:00:00Z' }), open, 5);
    expect(snoozed.map((c) => c.id)).toEqual([2]);
    expect(push(snoozed, conv(1, '2026-01-01T11:00:00Z'), open, 5).map((c) => c.id)).toEqual([1, 2]);
  });

  it('sorts a page as the server does: oldest, and longest waiting with answered ones last', () => {
    const page = [
      conv(1, '2026-01-01T10:00:00Z', { waitingSince: null }),
      conv(2, '2026-01-01T09:00:00Z', { waitingSince: '2026-01-01T09:00:00Z' }),
      conv(3, '2026-01-01T08:00:00Z', { waitingSince: '2026-01-01T07:00:00Z' }),
    ];
    expect(mergePage([], page, { ...open, sort: 'oldest' }).map((c) => c.id)).toEqual([3, 2, 1]);
    expect(mergePage([], page, { ...open, sort: 'waiting' }).map((c) => c.id)).toEqual([3, 2, 1]);
    expect(mergePage([], page, open).map((c) => c.id)).toEqual([1, 2, 3]);
  });

  it('assignee, unread and date filters decide whether a pushed conversation belongs', () => {
    const c = conv(1, '2026-01-10T10:00:00Z', { assignee: { id: 7, name: 'Ann' }, unreadCount: 0 });
    expect(matches(c, { ...open, assigneeId: '7' }, 5)).toBe(true);
    expect(matches(c, { ...open, assigneeId: 'unassigned' }, 5)).toBe(false);
    expect(matches(c, { ...open, unread: true }, 5)).toBe(false);
    expect(matches(c, { ...open, from: '2026-01-11' }, 5)).toBe(false);
    expect(matches(c, { ...open, to: '2026-01-09' }, 5)).toBe(false);
  });

  it('the filter round-trips through the query string, defaults left out', () => {
    const f: ListFilter = { view: 'mine', status: 'snoozed', channelId: '3', q: '', assigneeId: 'unassigned', from: '2026-01-01', to: '2026-01-31', unread: true, sort: 'waiting' };
    expect(filterFromUrl(filterToUrl(f))).toEqual(f);
    expect(filterToUrl({ ...open, assigneeId: '', from: '', to: '', unread: false, sort: 'newest' })).toBe('');
    expect(filterFromUrl('')).toBeNull();
    expect(filterFromUrl('?sort=sideways&from=yesterday')?.sort).toBe('newest');
  });
});

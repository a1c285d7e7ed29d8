import { describe, expect, it } from 'vitest';
import { feedCache } from '../lib/hubCache';
import { applyNotification, applyRead, notificationItems, unreadOf, type NotificationPages } from '../lib/notificationCache';
import { keys, makeQueryClient } from '../lib/queryClient';
import type { AppNotification } from '../types';
import { dealCard, fakeHub } from './cacheFixtures';

const note = (id: number, readAt: string | null = null): AppNotification =>
  ({ id, kind: 'assigned', text: `n${id}`, conversationId: null, dealId: null, activityId: null, createdAt: '2026-01-01T10:00:00Z', readAt });
const bell = (unread: number, ...pages: AppNotification[][]): NotificationPages => ({
  pages: pages.map((items, i) => ({ items, unread, nextCursor: i < pages.length - 1 ? `c${i + 1}` : null })),
  pageParams: pages.map((_, i) => (i === 0 ? null : `c${i}`)),
});

describe('notification centre in the cache', () => {
  it('a new notification goes on top and counts; a repeated one changes nothing', () => {
    const next = applyNotification(bell(1, [note(2)], [note(1)]), note(3));
    expect(notificationItems(next).map((n) => n.id)).toEqual([3, 2, 1]);
    expect(unreadOf(next)).toBe(2);
    expect(applyNotification(next, note(1))).toBe(next);
  });

  it('read marks reach every page and the count is the server\'s', () => {
    const next = applyRead(bell(3, [note(3), note(2)], [note(1)]), { ids: [1, 3], all: false, unread: 1 }, '2026-01-02T00:00:00Z');
    expect(notificationItems(next).map((n) => n.readAt !== null)).toEqual([true, false, true]);
    expect(unreadOf(next)).toBe(1);
    const all = applyRead(next, { ids: [], all: true, unread: 0 }, '2026-01-03T00:00:00Z');
    expect(notificationItems(all).every((n) => n.readAt !== null)).toBe(true);
    expect(notificationItems(all)[0].readAt).toBe('2026-01-02T00:00:00Z');
  });
});

describe('deal events into the query cache', () => {
  it('dealUpdated re-reads the boards of its pipeline and the overdue counts, not other pipelines', () => {
    const client = makeQueryClient();
    const { hub, raise } = fakeHub();
    feedCache(hub, client, 7);
    client.setQueryData(keys.board('1', ''), { stages: [] });
    client.setQueryData(keys.board('1', '7'), { stages: [] });
    client.setQueryData(keys.board('2', ''), { stages: [] });
    client.setQueryData(keys.overdue, []);
    raise('dealUpdated', dealCard(5, { pipelineId: 1 }));
    expect(client.getQueryState(keys.board('1', ''))?.isInvalidated).toBe(true);
    expect(client.getQueryState(keys.board('1', '7'))?.isInvalidated).toBe(true);
    expect(client.getQueryState(keys.overdue)?.isInvalidated).toBe(true);
    expect(client.getQueryState(keys.board('2', ''))?.isInvalidated).toBe(false);
  });

  it('the notification events reach the bell\'s cache', () => {
    const client = makeQueryClient();
    const { hub, raise } = fakeHub();
    feedCache(hub, client, 7);
    client.setQueryData(keys.notifications, bell(0, [note(1, '2026-01-01T11:00:00Z')]));
    raise('notification', note(2));
    expect(unreadOf(client.getQueryData(keys.notifications))).toBe(1);
    raise('notificationsRead', { ids: [2], all: false, unread: 0 });
    expect(unreadOf(client.getQueryData(keys.notifications))).toBe(0);
    expect(notificationItems(client.getQueryData(keys.notifications))[0].readAt).not.toBeNull();
  });
});

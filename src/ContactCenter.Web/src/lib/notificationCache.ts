// Pure functions from the notification hub events to the cached pages of the caller's notification centre.
import type { InfiniteData } from '@tanstack/react-query';
import type { Schemas } from '../api/client';
import { sameId, type AppNotification, type NotificationsRead } from '../types';

/** One page of GET /api/notifications: newest first, and how many are unread in all. */
export type NotificationPage = Omit<Schemas['NotificationPage'], 'items'> & { items: AppNotification[] };
/** The notification centre as the cache holds it: the pages read so far; the first page's `unread` is the count. */
export type NotificationPages = InfiniteData<NotificationPage>;

/** Every notification read so far, each once, newest first (as the pages came). */
export function notificationItems(data: NotificationPages | undefined): AppNotification[] {
  const seen = new Set<string>();
  return (data?.pages ?? []).flatMap((p) => p.items).filter((n) => !seen.has(String(n.id)) && !!seen.add(String(n.id)));
}

export const unreadOf = (data: NotificationPages | undefined): number => data?.pages[0]?.unread ?? 0;

/** Applies `notification`: a new one goes on top and counts as unread; one already listed changes nothing. */
export function applyNotification(data: NotificationPages, n: AppNotification): NotificationPages {
  const [first, ...rest] = data.pages;
  if (!first || data.pages.some((p) => p.items.some((x) => sameId(x.id, n.id)))) return data;
  return { ...data, pages: [{ ...first, items: [n, ...first.items], unread: first.unread + 1 }, ...rest] };
}

/** Applies `notificationsRead` (or a mark-read answer): these ids, or all, are read at `now`; `unread` is what is left. */
export function applyRead(data: NotificationPages, r: NotificationsRead, now: string): NotificationPages {
  const read = (n: AppNotification) => (r.all || r.ids.some((id) => sameId(id, n.id)) ? { ...n, readAt: n.readAt ?? now } : n);
  return { ...data, pages: data.pages.map((p, i) => ({ ...p, items: p.items.map(read), unread: i === 0 ? r.unread : p.unread })) };
}

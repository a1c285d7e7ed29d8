import { useEffect, useRef, useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../i18n';
import { body, client as apiClient } from '../api/client';
import { applyRead, notificationItems, unreadOf, type NotificationPage, type NotificationPages } from '../lib/notificationCache';
import { keys } from '../lib/queryClient';
import { beep, loadSettings, showDesktop, targetOf } from '../lib/notifications';
import { notificationText } from '../lib/noticeText';
import { shortTime } from '../lib/format';
import { useHubEvent, useJoined } from '../live';
import { useNavigate } from 'react-router';
import type { AppNotification } from '../types';
import './notify.css';
import { labelOf } from '../strings';

/**
 * The header's bell: unread count (live), a panel of notifications, desktop notification and sound for new ones. The
 * notifications are a query; the hub's `notification` / `notificationsRead` write into it (lib/hubCache.ts).
 */
export function NotificationBell() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const joined = useJoined();
  const [open, setOpen] = useState(false);
  const client = useQueryClient();
  const root = useRef<HTMLDivElement>(null);
  const notifications = useInfiniteQuery({
    queryKey: keys.notifications,
    queryFn: async ({ pageParam }): Promise<NotificationPage> => { await joined(); return body(apiClient.GET('/api/notifications', { params: { query: { cursor: pageParam ?? undefined } } })); },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = notificationItems(notifications.data);
  const unread = unreadOf(notifications.data);

  useEffect(() => { loadSettings().catch(() => undefined); }, []);
  // The cache has the new one already (lib/hubCache.ts): here only what the user sees and hears of it.
  useHubEvent('notification', (n) => {
    showDesktop(labelOf(t, 'kind_', n.kind), notificationText(n, t, locale), `cc-notification-${n.id}`, () => void openItem(n));
    beep();
  });

  // A click outside or Escape closes the panel.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => { if (!root.current?.contains(e.target as Node)) setOpen(false); };
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') setOpen(false); };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => { document.removeEventListener('mousedown', onDown); document.removeEventListener('keydown', onKey); };
  }, [open]);

  async function markRead(request: { ids: AppNotification['id'][] } | { all: true }) {
    try {
      const result = await body(apiClient.POST('/api/notifications/read', { body: request }));
      const read = { ids: 'ids' in request ? request.ids : [], all: 'all' in request, unread: result.unread };
      client.setQueryData<NotificationPages>(keys.notifications, (d) => d && applyRead(d, read, new Date().toISOString()));
    } catch { /* the count stays; the next read corrects it */ }
  }

  async function openItem(n: AppNotification) {
    setOpen(false);
    navigate(targetOf(n));
    if (!n.readAt) await markRead({ ids: [n.id] });
  }


  return (
    <div className="notify-bell" ref={root}>
      <button type="button" className="bell-button" aria-haspopup="true" aria-expanded={open} data-testid="notification-bell"
        aria-label={t('notificationsUnread', { count: unread })} title={t('notifications')} onClick={() => setOpen((o) => !o)}>
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" /><path d="M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        {unread > 0 && <span className="badge danger" data-testid="notification-count">{unread > 99 ? '99+' : unread}</span>}
      </button>
      {open && (
        <div className="notify-panel" role="dialog" aria-label={t('notifications')} data-testid="notification-panel">
          <div className="notify-head">
            <strong>{t('notifications')}</strong>
            <button type="button" className="link" disabled={unread === 0} onClick={() => void markRead({ all: true })}>{t('markAllRead')}</button>
          </div>
          {items.length === 0 ? <p className="muted notify-empty">{t('noNotifications')}</p> : (
            <ul className="notify-list">
              {items.map((n) => (
                <li key={n.id} className={n.readAt ? 'read' : 'unread'} data-kind={n.kind}>
                  <button type="button" onClick={() => void openItem(n)}>
                    <span className="notify-kind">{labelOf(t, 'kind_', n.kind)}</span>
                    <span className="notify-text">{notificationText(n, t, locale)}</span>
                    <time className="muted" dateTime={n.createdAt}>{shortTime(n.createdAt, locale)}</time>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {notifications.hasNextPage && <button type="button" className="link notify-older" disabled={notifications.isFetchingNextPage}
            onClick={() => void notifications.fetchNextPage()}>{t('loadOlder')}</button>}
          <button type="button" className="link notify-settings" onClick={() => { setOpen(false); navigate('/settings'); }}>{t('notificationSettings')}</button>
        </div>
      )}
    </div>
  );
}

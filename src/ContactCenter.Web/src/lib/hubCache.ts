// Hub events into the query cache: data an event carries is written in, what it cannot tell is re-read.
import type { Query, QueryClient, QueryKey } from '@tanstack/react-query';
import { applyRemoved, applyUpdated, type ListPages } from './inboxCache';
import type { ListFilter } from './inboxList';
import { keys } from './queryClient';
import type { Realtime } from './realtime';
import { applyNotification, applyRead, type NotificationPages } from './notificationCache';
import { applyConversation, applyMessage, type ThreadPages } from './threadCache';
import { applyCountersChange, holdStep } from './countersChain';
import type { ConversationDetails, Counters, Id } from '../types';

/**
 * Writes `update` into every cached query under `key`. A query being read is read again instead (its answer may
 * predate the event: pushes follow their commit, so a read started after the event cannot), and so is one whose
 * update is `null` (only the server can tell).
 */
export function writeEach<T>(client: QueryClient, key: QueryKey, update: (data: T, key: QueryKey) => T | null) {
  for (const query of client.getQueryCache().findAll({ queryKey: key })) {
    const data = query.state.data as T | undefined;
    const next = query.state.fetchStatus === 'fetching' ? null : data === undefined ? data : update(data, query.queryKey);
    if (next) client.setQueryData(query.queryKey, next);
    else if (next === null) reread(client, query.queryKey, true);
  }
}

/**
 * Reads every query under `key` again, including one whose FIRST read is on its way: TanStack Query does not restart
 * that one on an invalidation (it hands back the read in flight, whose answer may predate the event, and then counts
 * the query as fresh), so it is read once more when that read settles. Without this, a conversation that arrived
 * while the inbox's first page was being read was missing from the list until something else re-read it. (Cancelling
 * the first read instead would starve it while events keep coming.)
 */
export function reread(client: QueryClient, key: QueryKey, exact = false) {
  for (const query of client.getQueryCache().findAll({ queryKey: key, exact })) {
    if (query.state.fetchStatus === 'fetching' && query.state.data === undefined) readAgainAfterFirst(client, query);
  }
  void client.invalidateQueries({ queryKey: key, exact });
}

const waitingForFirst = new WeakSet<Query>();

function readAgainAfterFirst(client: QueryClient, query: Query) {
  if (waitingForFirst.has(query)) return; // events during one first read share the one read after it
  waitingForFirst.add(query);
  const off = client.getQueryCache().subscribe((event) => {
    if (event.query !== query || query.state.fetchStatus !== 'idle') return;
    off();
    waitingForFirst.delete(query);
    void client.invalidateQueries({ queryKey: query.queryKey, exact: true });
  });
}

/**
 * Feeds `client` from `hub` for user `me`; returns the unsubscribe. After a reconnect (`resync`) everything under
 * `inbox`, the notifications and the deals are re-read: events may have been missed.
 */
export function feedCache(hub: Pick<Realtime, 'on'>, client: QueryClient, me: Id): () => void {
  const lists = (update: (data: ListPages, f: ListFilter) => ListPages | null) =>
    writeEach<ListPages>(client, keys.lists, (data, key) => update(data, key[2] as ListFilter));
  const offs = [
    hub.on('conversationUpdated', (c) => {
      lists((data, f) => applyUpdated(data, c, f, me));
      const held = client.getQueryData<ConversationDetails>(keys.conversation(String(c.id)));
      writeEach<ConversationDetails>(client, keys.conversation(String(c.id)), (d) => applyConversation(d, c));
      // Another assignee: whether the caller only takes part (was mentioned) is the server's to say again — the summary does
      // not carry it, and the open conversation kept a participant's controls after being handed to them (or a worker's
      // after being handed away, every action then refused).
      if (held && String(held.assignee?.id ?? '') !== String(c.assignee?.id ?? '')) reread(client, keys.conversation(String(c.id)), true);
    }),
    hub.on('messageCreated', (m) => writeEach<ThreadPages>(client, keys.messages(String(m.conversationId)), (d) => applyMessage(d, m, true))),
    hub.on('messageUpdated', (m) => writeEach<ThreadPages>(client, keys.messages(String(m.conversationId)), (d) => applyMessage(d, m, false))),
    hub.on('conversationRemoved', ({ id }) => lists((data) => applyRemoved(data, id))),
    // One step on the caller's chain of counters: added when it follows what the cache holds, re-read after a missed
    // step, kept for the answer while a read is on its way (lib/countersChain.ts).
    hub.on('countersChanged', (change) => {
      reread(client, keys.overdue);
      if (client.getQueryState(keys.counters)?.fetchStatus === 'fetching') return holdStep(client, me, change);
      const next = applyCountersChange(client.getQueryData<Counters>(keys.counters), change);
      if (next === 'gap') reread(client, keys.counters, true);
      else if (next) client.setQueryData(keys.counters, next);
    }),
    hub.on('notification', (n) => writeEach<NotificationPages>(client, keys.notifications, (d) => applyNotification(d, n))),
    hub.on('notificationsRead', (r) =>
      writeEach<NotificationPages>(client, keys.notifications, (d) => applyRead(d, r, new Date().toISOString()))),
    // A deal event carries one card, not the board's counts and sums: the board of its pipeline is read again.
    hub.on('dealUpdated', (d) => {
      reread(client, keys.boards(d.pipelineId ? String(d.pipelineId) : undefined));
      reread(client, keys.overdue);
    }),
    // A deal handed away from the caller: every board they hold is read again (the event names no pipeline).
    hub.on('dealRemoved', () => {
      reread(client, keys.boards(undefined));
      reread(client, keys.overdue);
    }),
    hub.on('resync', () => {
      reread(client, keys.inbox);
      reread(client, keys.notifications);
      reread(client, keys.deals);
    }),
  ];
  return () => offs.forEach((off) => off());
}

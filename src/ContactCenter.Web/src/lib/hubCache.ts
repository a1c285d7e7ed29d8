// Hub events into the query cache: data an event carries is written in, what it cannot tell is re-read.
import type { Query, QueryClient } from '@tanstack/react-query';
import { applyRemoved, applyUpdated, type ListPages } from './inboxCache';
import type { ListFilter } from './inboxList';
import { keys } from './queryClient';
import type { Realtime } from './realtime';
import type { Id } from '../types';

/**
 * Feeds `client` from `hub` for user `me`; returns the unsubscribe. A list being read while an event arrives is read
 * again instead (the answer may predate the event: pushes follow their commit, so a read started after it cannot).
 * After a reconnect (`resync`) everything under `inbox` is re-read: events may have been missed.
 */
export function feedCache(hub: Pick<Realtime, 'on'>, client: QueryClient, me: Id): () => void {
  const eachList = (update: (data: ListPages, f: ListFilter) => ListPages | null) => {
    for (const query of client.getQueryCache().findAll({ queryKey: keys.lists }) as Query<ListPages>[]) {
      const data = query.state.data;
      if (!data) continue;
      const next = query.state.fetchStatus === 'fetching' ? null : update(data, query.queryKey[2] as ListFilter);
      if (next) client.setQueryData(query.queryKey, next);
      else void client.invalidateQueries({ queryKey: query.queryKey, exact: true });
    }
  };
  const offs = [
    hub.on('conversationUpdated', (c) => eachList((data, f) => applyUpdated(data, c, f, me))),
    hub.on('conversationRemoved', ({ id }) => eachList((data) => applyRemoved(data, id))),
    hub.on('countersChanged', (counters) => client.setQueryData(keys.counters, counters)),
    hub.on('resync', () => void client.invalidateQueries({ queryKey: keys.inbox })),
  ];
  return () => offs.forEach((off) => off());
}

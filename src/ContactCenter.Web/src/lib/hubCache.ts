// Hub events into the query cache: data an event carries is written in, what it cannot tell is re-read.
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { applyRemoved, applyUpdated, type ListPages } from './inboxCache';
import type { ListFilter } from './inboxList';
import { keys } from './queryClient';
import type { Realtime } from './realtime';
import type { Id } from '../types';

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
    else if (next === null) void client.invalidateQueries({ queryKey: query.queryKey, exact: true });
  }
}

/**
 * Feeds `client` from `hub` for user `me`; returns the unsubscribe. After a reconnect (`resync`) everything under
 * `inbox` is re-read: events may have been missed.
 */
export function feedCache(hub: Pick<Realtime, 'on'>, client: QueryClient, me: Id): () => void {
  const lists = (update: (data: ListPages, f: ListFilter) => ListPages | null) =>
    writeEach<ListPages>(client, keys.lists, (data, key) => update(data, key[2] as ListFilter));
  const offs = [
    hub.on('conversationUpdated', (c) => lists((data, f) => applyUpdated(data, c, f, me))),
    hub.on('conversationRemoved', ({ id }) => lists((data) => applyRemoved(data, id))),
    hub.on('countersChanged', (counters) => {
      const reading = client.getQueryState(keys.counters)?.fetchStatus === 'fetching';
      client.setQueryData(keys.counters, counters);
      if (reading) void client.invalidateQueries({ queryKey: keys.counters });
    }),
    hub.on('resync', () => void client.invalidateQueries({ queryKey: keys.inbox })),
  ];
  return () => offs.forEach((off) => off());
}

// A keyset-paged read (`{ items, nextCursor }`) in the tab's TanStack Query cache: the list views of deals and leads,
// the contacts and companies searches, a card's timeline. One place pages them, instead of each keeping its own
// items/cursor/loading state and guarding against an older answer landing after a newer one. It reads through
// lib/api's `api`, not the generated client: the list views' queries carry `field.<key>` filters the document cannot type.
import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { api } from '../lib/api';
import type { Page } from '../types';

/** Everything under this key is a `useCursorPages`; `pagesKey(path)` covers the path's every query. */
export const pagesKey = (path: string, query?: string) => (query === undefined ? ['pages', path] as const : ['pages', path, query] as const);

export interface CursorPages<T> {
  items: T[];
  /** There is a next page to load. */
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  /** Loads the next page (nothing while one is loading or when there is none). */
  more: () => void;
  /** Reads every loaded page of this path again (any query: a hub event says the rows changed). */
  reload: () => Promise<void>;
  /**
   * The same, once, 300 ms after the last of a burst of calls: one bulk change of 130 deals is 130 hub events, and
   * re-reading on each (every earlier read cancelled by the next) was 130 requests from every open list.
   */
  reloadSoon: () => void;
  /** Loads the following pages until there are none or `max` rows are loaded ("select all that match"). */
  loadAll: (max: number) => Promise<void>;
}

/**
 * Pages of `path?query` (`query` without `cursor` and `limit`; a change of it starts at the first page again and keeps
 * showing the previous rows until the new ones are there), `limit` rows a page; nothing is read while not `enabled`
 * (a filter the query needs is not known yet).
 */
export function useCursorPages<T>(path: string, query: URLSearchParams | string, limit = 50, enabled = true): CursorPages<T> {
  const queryClient = useQueryClient();
  const qs = query.toString();
  const pages = useInfiniteQuery({
    queryKey: pagesKey(path, qs),
    queryFn: ({ pageParam, signal }) => {
      const q = new URLSearchParams(qs);
      q.set('limit', String(limit));
      if (pageParam) q.set('cursor', pageParam);
      return api<Page<T>>(`${path}?${q.toString()}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
  const items = useMemo(() => pages.data?.pages.flatMap((p) => p.items) ?? [], [pages.data]);
  const { hasNextPage, isFetching, fetchNextPage } = pages;
  const more = useCallback(() => { if (hasNextPage && !isFetching) void fetchNextPage(); }, [hasNextPage, isFetching, fetchNextPage]);
  const reload = useCallback(() => queryClient.invalidateQueries({ queryKey: pagesKey(path) }), [queryClient, path]);
  const timer = useRef<number | null>(null);
  const reloadSoon = useCallback(() => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => { timer.current = null; void reload(); }, 300);
  }, [reload]);
  useEffect(() => () => { if (timer.current !== null) window.clearTimeout(timer.current); }, []);
  const loadAll = useCallback(async (max: number) => {
    let more = hasNextPage;
    let count = items.length;
    while (more && count < max) {
      // Joins a page already on its way instead of cancelling it.
      const next = await fetchNextPage({ cancelRefetch: false });
      if (next.isError) throw next.error;
      more = next.hasNextPage;
      count = next.data?.pages.reduce((n, p) => n + p.items.length, 0) ?? count;
    }
  }, [hasNextPage, items.length, fetchNextPage]);
  return { items, hasMore: hasNextPage, loading: isFetching || !enabled, error: pages.error, more, reload, reloadSoon, loadAll };
}

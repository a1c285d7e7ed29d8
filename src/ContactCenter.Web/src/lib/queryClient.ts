// Server state lives in one TanStack Query cache per tab; hub events write into it (lib/inboxCache.ts, live.tsx).
import { QueryClient } from '@tanstack/react-query';
import type { ListFilter } from './inboxList';

/**
 * The app's query client. The hub keeps live data fresh, so a window regaining focus does not re-read everything;
 * a failed read is tried once more, a failed write never (the user sees the error and decides).
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 1, refetchOnWindowFocus: false },
      mutations: { retry: 0 },
    },
  });
}

/** The cache keys of what the hub feeds: everything under `inbox` is re-read after a reconnect. */
export const keys = {
  inbox: ['inbox'] as const,
  lists: ['inbox', 'list'] as const,
  list: (filter: ListFilter) => ['inbox', 'list', filter] as const,
  counters: ['inbox', 'counters'] as const,
};

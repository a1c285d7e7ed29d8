// Server state lives in one TanStack Query cache per tab; hub events write into it (lib/inboxCache.ts, live.tsx).
import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api';
import type { ListFilter } from './inboxList';

/**
 * The app's query client. The hub keeps live data fresh, so a window regaining focus does not re-read everything;
 * a failed read is tried once more unless the server refused it (4xx: the same answer again), a failed write never
 * (the user sees the error and decides).
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: (failures, e) => failures < 1 && !(e instanceof ApiError && e.status < 500), refetchOnWindowFocus: false },
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
  /** An open conversation's details (GET /api/conversations/{id}). */
  conversation: (id: string) => ['inbox', 'conversation', id] as const,
  /** Every cached thread of a conversation (opened at its end, or at a search hit). */
  messages: (id: string) => ['inbox', 'messages', id] as const,
  thread: (id: string, around: string | null) => ['inbox', 'messages', id, around] as const,
  /** The deals board of a pipeline (per assignee filter), and every pipeline's overdue count. */
  deals: ['deals'] as const,
  boards: (pipelineId?: string) => (pipelineId ? ['deals', 'board', pipelineId] as const : ['deals', 'board'] as const),
  board: (pipelineId: string, assigneeId: string) => ['deals', 'board', pipelineId, assigneeId] as const,
  overdue: ['deals', 'overdue'] as const,
  /** The caller's notification centre (the header's bell). */
  notifications: ['notifications'] as const,
};

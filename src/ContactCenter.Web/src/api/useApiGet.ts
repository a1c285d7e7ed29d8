// A typed read of the API: a GET through the generated client (api/client.ts), kept in the tab's TanStack Query cache
// under ['api', path, params]. The answer's type comes from the OpenAPI document (src/api/schema.d.ts), so a caller
// names a route and its parameters, never a hand-kept type.
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { ClientPathsWithMethod, FetchOptions, MethodResponse } from 'openapi-fetch';
import { ApiError } from '../lib/api';
import { body, client } from './client';
import type { paths } from './schema';

/** A path the document describes a GET for, e.g. `/api/deals/{id}`. */
export type GetPath = ClientPathsWithMethod<typeof client, 'get'>;
/** The parameters of a GET (`{ params: { path, query } }`), as openapi-fetch takes them. */
export type GetInit<P extends GetPath> = FetchOptions<paths[P]['get']>;
/** The answer of a GET, as the document describes it. */
export type GetData<P extends GetPath> = MethodResponse<typeof client, 'get', P>;

export interface ApiRead<T> {
  data: T | null; loading: boolean; error: string | null;
  /** The server answered 404/405/501: the route (or the thing) is not there. */
  notAvailable: boolean;
  /** Reads again (never throws: a failure shows in `error`). */
  reload: () => Promise<void>;
  /** Changes the cached answer in place (after a write the server answered with the new value, or a hub event). */
  set: (update: (old: T | null) => T | null) => void;
}

export interface ReadOptions {
  /** Awaited before each read: a live view passes the hub's `whenJoined` (live.tsx, `useJoined`). */
  before?: () => Promise<void>;
}

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** The init is required when the route has a required parameter (a path id), optional otherwise. */
type Args<P extends GetPath> = RequiredKeys<GetInit<P>> extends never
  ? [init?: GetInit<P> | null, options?: ReadOptions]
  : [init: GetInit<P>, options?: ReadOptions];

/** The cache key of a read: everything under `api` is a `useApiGet`; `apiKey(path)` covers the path's every parameter. */
export const apiKey = (path: GetPath, params?: unknown) => (params === undefined ? ['api', path] as const : ['api', path, params ?? null] as const);

/**
 * GETs a route of the document (`path` null = nothing to load) and keeps the answer; a 404/405/501 is reported as
 * "not available", not as an error. Reads of the same route and parameters share one cached answer; a new mount
 * reads again (showing the cached answer meanwhile), and a change of parameters keeps showing the previous answer
 * until the new one is there.
 */
export function useApiGet<P extends GetPath>(path: P | null, ...[init, options]: Args<P>): ApiRead<GetData<P>> {
  const queryClient = useQueryClient();
  const params = (init as { params?: unknown } | null | undefined)?.params ?? null;
  // Callers write their parameters inline: the key changes only when their values do.
  const paramsJson = JSON.stringify(params);
  const key = useMemo(() => apiKey(path ?? ('' as GetPath), params), [path, paramsJson]);
  const before = options?.before;
  const query = useQuery({
    queryKey: key,
    enabled: path !== null,
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<GetData<P>> => {
      if (before) await before();
      // The route and its parameters were checked by tsc at the caller; openapi-fetch's overloads cannot follow a
      // generic path, hence the cast.
      return body((client.GET as (p: string, i?: unknown) => Promise<{ data?: GetData<P>; response: Response }>)(path!, init ?? undefined));
    },
  });
  const reload = useCallback(async () => { if (path !== null) await query.refetch(); }, [path, query.refetch]);
  const set = useCallback((update: (old: GetData<P> | null) => GetData<P> | null) => {
    queryClient.setQueryData<GetData<P>>(key, (old) => update(old ?? null) ?? undefined);
  }, [queryClient, key]);

  if (path === null) return { data: null, loading: false, error: null, notAvailable: false, reload, set };
  const notAvailable = query.error instanceof ApiError && query.error.notAvailable;
  return {
    data: notAvailable ? null : (query.data ?? null),
    loading: query.isFetching,
    error: query.error && !notAvailable ? query.error.message : null,
    notAvailable, reload, set,
  };
}

import type { UseQueryResult } from '@tanstack/react-query';
import { ApiError } from './api';
import type { ApiRead } from '../api/useApiGet';

/** A query as `ResourceStatus` shows it: a 404/405/501 is "not available", not an error. */
export function statusOf<T>(q: UseQueryResult<T>): Pick<ApiRead<T>, 'data' | 'loading' | 'error' | 'notAvailable'> {
  const notAvailable = q.error instanceof ApiError && q.error.notAvailable;
  return { data: q.data ?? null, loading: q.isFetching, error: q.error && !notAvailable ? q.error.message : null, notAvailable };
}

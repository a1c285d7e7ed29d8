// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCursorPages } from '../api/useCursorPages';

// A keyset-paged server of 5 rows, 2 a page: the cursor is the last id the page held.
const server = { calls: [] as string[], rows: [1, 2, 3, 4, 5].map((id) => ({ id, title: `row ${id}` })), fail: false };
globalThis.fetch = (async (input: string | Request) => {
  const url = new URL(typeof input === 'string' ? input : input.url, 'http://localhost');
  server.calls.push(url.pathname + url.search);
  if (server.fail) return new Response(JSON.stringify({ detail: 'boom' }), { status: 500, headers: { 'Content-Type': 'application/json' } });
  const q = url.searchParams.get('q');
  const after = Number(url.searchParams.get('cursor') ?? 0);
  const limit = Number(url.searchParams.get('limit'));
  const matching = server.rows.filter((r) => (!q || r.title.includes(q)) && r.id > after);
  const items = matching.slice(0, limit);
  const nextCursor = matching.length > limit ? String(items[items.length - 1].id) : null;
  return new Response(JSON.stringify({ items, nextCursor }), { status: 200, headers: { 'Content-Type': 'application/json' } });
}) as typeof fetch;

function wrapper() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

beforeEach(() => {
  server.calls = [];
  server.fail = false;
  server.rows = [1, 2, 3, 4, 5].map((id) => ({ id, title: `row ${id}` }));
});

describe('useCursorPages', () => {
  it('pages by cursor until the last page, then says there is no more', async () => {
    const { result } = renderHook(() => useCursorPages<{ id: number }>('/api/deals', new URLSearchParams({ sort: '-created' }), 2), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.items.map((r) => r.id)).toEqual([1, 2]));
    expect(result.current.hasMore).toBe(true);
    act(() => result.current.more());
    await waitFor(() => expect(result.current.items.map((r) => r.id)).toEqual([1, 2, 3, 4]));
    act(() => result.current.more());
    await waitFor(() => expect(result.current.items.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]));
    expect(result.current.hasMore).toBe(false);
    act(() => result.current.more()); // nothing left: no call
    expect(server.calls).toEqual(['/api/deals?sort=-created&limit=2', '/api/deals?sort=-created&limit=2&cursor=2', '/api/deals?sort=-created&limit=2&cursor=4']);
  });

  it('loadAll reads the following pages until the last one, or stops once it holds the most asked for', async () => {
    server.rows = Array.from({ length: 9 }, (_, i) => ({ id: i + 1, title: `row ${i + 1}` }));
    const { result } = renderHook(() => useCursorPages<{ id: number }>('/api/deals', '', 2), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.items).toHaveLength(2));
    await act(() => result.current.loadAll(5));
    await waitFor(() => expect(result.current.items.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6])); // pages of 2: the one that reaches 5
    expect(result.current.hasMore).toBe(true);
    await act(() => result.current.loadAll(100));
    await waitFor(() => expect(result.current.items.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(result.current.hasMore).toBe(false);
    expect(server.calls).toHaveLength(5); // one read per page, none twice
  });

  it('starts at the first page for a new query, keeping the old rows on screen until the new ones are there', async () => {
    let q = '';
    const { result, rerender } = renderHook(() => useCursorPages<{ id: number }>('/api/contacts', q ? new URLSearchParams({ q }) : '', 2), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.items.map((r) => r.id)).toEqual([1, 2]));
    q = 'row 5';
    rerender();
    expect(result.current.items.map((r) => r.id)).toEqual([1, 2]);
    await waitFor(() => expect(result.current.items.map((r) => r.id)).toEqual([5]));
    expect(result.current.hasMore).toBe(false);
    expect(server.calls.at(-1)).toBe('/api/contacts?q=row+5&limit=2');
  });

  it('reload reads every loaded page again, so a changed row shows; a failure is kept as the error', async () => {
    const { result } = renderHook(() => useCursorPages<{ id: number; title: string }>('/api/leads', '', 2), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.items).toHaveLength(2));
    act(() => result.current.more());
    await waitFor(() => expect(result.current.items).toHaveLength(4));
    server.rows[2] = { id: 3, title: 'renamed' };
    await act(() => result.current.reload());
    await waitFor(() => expect(result.current.items[2].title).toBe('renamed'));
    expect(result.current.items).toHaveLength(4);
    server.fail = true;
    await act(() => result.current.reload());
    await waitFor(() => expect(result.current.error).toBeTruthy());
    expect((result.current.error as Error).message).toBe('boom');
  });

  it('reloadSoon re-reads once for a burst of calls, and nothing is read while not enabled', async () => {
    let enabled = false;
    const { result, rerender } = renderHook(() => useCursorPages<{ id: number }>('/api/deals', 'pipelineId=1', 2, enabled), { wrapper: wrapper() });
    await new Promise((r) => setTimeout(r, 50));
    expect(server.calls).toEqual([]);
    expect(result.current.loading).toBe(true); // nothing to show yet, not "empty"
    enabled = true;
    rerender();
    await waitFor(() => expect(result.current.items).toHaveLength(2));
    server.calls = [];
    act(() => { for (let i = 0; i < 130; i++) result.current.reloadSoon(); });
    await new Promise((r) => setTimeout(r, 450));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(server.calls).toEqual(['/api/deals?pipelineId=1&limit=2']);
  });
});

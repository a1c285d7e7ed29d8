// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The generated client keeps the `fetch` it was created with: stand in for the server before it is imported.
const server = vi.hoisted(() => {
  const state = { calls: [] as string[], answer: (_path: string): Response => new Response(null, { status: 404 }) };
  globalThis.fetch = (async (input: Request) => {
    const url = new URL(input.url);
    state.calls.push(url.pathname + url.search);
    return state.answer(url.pathname);
  }) as typeof fetch;
  return state;
});

const { useApiGet } = await import('../api/useApiGet');

const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });
const reasons = [{ id: 1, name: 'Too expensive' }];

function wrapper() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

beforeEach(() => { server.calls = []; });

describe('useApiGet', () => {
  it('reads a route of the document with its parameters, and two readers of the same read share one answer', async () => {
    server.answer = (path) => (path === '/api/loss-reasons' ? json(reasons) : json({ items: [], nextCursor: null }));
    const { result } = renderHook(() => ({
      a: useApiGet('/api/loss-reasons'),
      b: useApiGet('/api/loss-reasons'),
      activities: useApiGet('/api/activities', { params: { query: { assignee: 'me', state: 'planned', limit: 200 } } }),
    }), { wrapper: wrapper() });
    expect(result.current.a.loading).toBe(true);
    await waitFor(() => expect(result.current.activities.data).not.toBeNull());
    await waitFor(() => expect(result.current.a.data).toEqual(reasons));
    expect(result.current.b.data).toEqual(reasons);
    expect(server.calls.filter((c) => c === '/api/loss-reasons')).toHaveLength(1);
    expect(server.calls).toContain('/api/activities?assignee=me&state=planned&limit=200');
  });

  it('reports a 404 as not available and a failure as an error', async () => {
    server.answer = (path) => (path === '/api/deals/7' ? json({ title: 'Not Found' }, 404) : json({ detail: 'boom' }, 500));
    const { result } = renderHook(() => ({
      deal: useApiGet('/api/deals/{id}', { params: { path: { id: 7 } } }),
      users: useApiGet('/api/users'),
    }), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.deal.notAvailable).toBe(true));
    expect(result.current.deal).toMatchObject({ data: null, error: null, loading: false });
    await waitFor(() => expect(result.current.users.error).toBe('boom'));
    expect(result.current.users.notAvailable).toBe(false);
  });

  it('loads nothing for a null path, awaits `before`, and `set` and `reload` change what is shown', async () => {
    let joined = false;
    const before = async () => { await Promise.resolve(); joined = true; };
    let version = 1;
    server.answer = () => { expect(joined).toBe(true); return json({ mode: `v${version}`, currency: 'USD' }); };
    const { result } = renderHook(() => ({
      none: useApiGet(null as '/api/settings/crm' | null),
      mode: useApiGet('/api/settings/crm', null, { before }),
    }), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.mode.data).toEqual({ mode: 'v1', currency: 'USD' }));
    expect(result.current.none).toMatchObject({ data: null, loading: false, error: null, notAvailable: false });
    expect(server.calls).toEqual(['/api/settings/crm']);
    act(() => result.current.mode.set(() => ({ mode: 'local', currency: 'RUB' })));
    await waitFor(() => expect(result.current.mode.data).toEqual({ mode: 'local', currency: 'RUB' })); // observers hear of it on the next tick
    version = 2;
    await act(() => result.current.mode.reload());
    // The read has ended when reload resolves; observers hear of its answer on the next tick, as with `set`.
    await waitFor(() => expect(result.current.mode.data).toEqual({ mode: 'v2', currency: 'USD' }));
    expect(server.calls).toEqual(['/api/settings/crm', '/api/settings/crm']);
  });
});

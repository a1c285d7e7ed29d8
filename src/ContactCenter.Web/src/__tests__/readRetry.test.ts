// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';

// The server lets the screens' reads in a few at a time and answers 429 with Retry-After: 1 when its queue is full
// (docs/API-EXTENSIONS.md, "Session 38"): both clients ask a read once more after that wait, never a write, and give up
// with the server's problem after the second 429.
const server = (() => {
  const state = { answers: [] as (Response | Error)[], calls: [] as string[] };
  globalThis.fetch = (async (input: Request | string, init?: RequestInit) => {
    const method = input instanceof Request ? input.method : (init?.method ?? 'GET');
    state.calls.push(`${method} ${input instanceof Request ? new URL(input.url).pathname : input}`);
    const answer = state.answers.shift() ?? new Response('{}', { status: 500 });
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof fetch;
  return state;
})();

const busy = (retryAfter: string) => new Response(
  JSON.stringify({ title: 'Too Many Requests', detail: 'Too many requests; retry later.', status: 429 }),
  { status: 429, headers: { 'Content-Type': 'application/problem+json', 'Retry-After': retryAfter } });
const ok = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

const { api, ApiError } = await import('../lib/api');
const { body, client } = await import('../api/client');

beforeEach(() => { server.answers = []; server.calls = []; });

describe('a read the server queued too long', () => {
  it('is asked again after Retry-After by the plain client, and answers the second time', async () => {
    server.answers = [busy('1'), ok({ items: [] })];
    const started = Date.now();

    await expect(api('/api/conversations?status=open')).resolves.toEqual({ items: [] });

    expect(server.calls).toEqual(['GET /api/conversations?status=open', 'GET /api/conversations?status=open']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('is asked again by the generated client', async () => {
    server.answers = [busy('0'), ok({ id: 5, title: 'Deal' })];

    await expect(body(client.GET('/api/deals/{id}', { params: { path: { id: 5 } } }))).resolves.toMatchObject({ id: 5 });

    expect(server.calls).toEqual(['GET /api/deals/5', 'GET /api/deals/5']);
  });

  it('fails with the server problem when the second answer is 429 too, in both clients', async () => {
    server.answers = [busy('0'), busy('0')];
    await expect(api('/api/counters')).rejects.toMatchObject({ status: 429, detail: 'Too many requests; retry later.' });
    server.answers = [busy('0'), busy('0')];
    await expect(body(client.GET('/api/deals/{id}', { params: { path: { id: 5 } } }))).rejects.toBeInstanceOf(ApiError);

    expect(server.calls).toHaveLength(4);
  });

  it('is not repeated when it is a write, or when the server asks for a long wait', async () => {
    server.answers = [busy('0')];
    await expect(api('/api/conversations/5/read', { method: 'POST', body: {} })).rejects.toMatchObject({ status: 429 });
    server.answers = [busy('60')];
    await expect(api('/api/counters')).rejects.toMatchObject({ status: 429 });

    expect(server.calls).toEqual(['POST /api/conversations/5/read', 'GET /api/counters']);
  });
});

describe('a read retried after a 429, edge cases', () => {
  it('a network failure on the generated client\'s retry is an ApiError, as on its first try', async () => {
    server.answers = [busy('0'), new TypeError('Failed to fetch')];
    await expect(body(client.GET('/api/deals/{id}', { params: { path: { id: 5 } } }))).rejects.toBeInstanceOf(ApiError);
    server.answers = [busy('0'), new TypeError('Failed to fetch')];
    await expect(api('/api/counters')).rejects.toBeInstanceOf(ApiError);
  });

  it('a 429 without Retry-After is not repeated', async () => {
    server.answers = [new Response('{}', { status: 429, headers: { 'Content-Type': 'application/problem+json' } })];
    await expect(api('/api/counters')).rejects.toMatchObject({ status: 429 });
    expect(server.calls).toEqual(['GET /api/counters']);
  });
});

// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';

// Both clients send the app's language, so the server's problem texts come back in it (a Russian screen showed English).
const server = (() => {
  const state = { languages: [] as (string | null)[] };
  globalThis.fetch = (async (input: Request | string, init?: RequestInit) => {
    const headers = input instanceof Request ? input.headers : new Headers(init?.headers);
    state.languages.push(headers.get('Accept-Language'));
    return new Response(JSON.stringify({ title: 'Не найдено', detail: 'Нет такой сделки.', status: 404 }),
      { status: 404, headers: { 'Content-Type': 'application/problem+json' } });
  }) as typeof fetch;
  return state;
})();

const { api, ApiError, setApiLanguage } = await import('../lib/api');
const { body, client } = await import('../api/client');

beforeEach(() => { server.languages = []; });

describe('the language of API calls', () => {
  it('is sent by the generated client and by the plain one, and follows a change of language', async () => {
    setApiLanguage('ru');
    await expect(body(client.GET('/api/deals/{id}', { params: { path: { id: 5 } } }))).rejects.toThrow('Нет такой сделки.');
    await expect(api('/api/deals/5')).rejects.toBeInstanceOf(ApiError);
    setApiLanguage('en');
    await expect(api('/api/deals/5')).rejects.toBeInstanceOf(ApiError);

    expect(server.languages).toEqual(['ru', 'ru', 'en']);
  });
});

// @vitest-environment jsdom
import { cleanup, render, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n';

// The generated client keeps the `fetch` it was created with: stand in for the server before it is imported.
const server = vi.hoisted(() => {
  const state = { answer: (_path: string): Response => new Response(null, { status: 404 }) };
  globalThis.fetch = (async (input: Request) => state.answer(new URL(input.url).pathname)) as typeof fetch;
  return state;
});

const { SearchPage } = await import('../pages/SearchPage');

const json = (value: unknown, status = 200, type = 'application/json') => new Response(JSON.stringify(value), { status, headers: { 'Content-Type': type } });

describe('the search page', () => {
  afterEach(cleanup);

  it('says the records could not be searched, and not that nothing was found, when their search is refused', async () => {
    // An outside review (session 41): the records' failure was ignored, so a refused records search read as "no records".
    server.answer = (path) => (path === '/api/search/records'
      ? json({ status: 503, title: 'Service unavailable', detail: 'The database is not reachable; retry later.' }, 503, 'application/problem+json')
      : json({ items: [], nextCursor: null }));
    const { findByTestId, queryByTestId } = render(
      <I18nProvider><MemoryRouter initialEntries={['/search?q=Quokka']}><SearchPage /></MemoryRouter></I18nProvider>);

    const refused = await findByTestId('search-records-error');
    expect(refused.textContent).toContain('Deals, leads, contacts and companies could not be searched');
    expect(refused.textContent).toContain('The database is not reachable');
    await waitFor(() => expect(queryByTestId('search-searching')).toBeNull());
    expect(queryByTestId('search-empty')).toBeNull();
  });

  it('says nothing was found once both searches answered empty', async () => {
    server.answer = (path) => (path === '/api/search/records'
      ? json({ deals: [], leads: [], contacts: [], companies: [] })
      : json({ items: [], nextCursor: null }));
    const { findByTestId, queryByTestId } = render(
      <I18nProvider><MemoryRouter initialEntries={['/search?q=Quokka']}><SearchPage /></MemoryRouter></I18nProvider>);

    expect((await findByTestId('search-empty')).textContent).toBe('Nothing found for “Quokka”.');
    expect(queryByTestId('search-records-error')).toBeNull();
  });
});

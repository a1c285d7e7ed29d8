// @vitest-environment jsdom
import { act, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MessageItem } from '../components/MessageItem';
import { I18nProvider } from '../i18n';
import type { Message } from '../types';

const base = {
  id: 1, conversationId: 1, direction: 'inbound', text: 'Вот адрес доставки', html: null, status: 'received', error: null,
  sender: { type: 'contact', id: 7, name: 'Ольга Кузнецова' }, createdAt: '2026-12-06T06:00:00Z', attachments: [], revision: 0,
} as unknown as Message;

describe('a forwarded message', () => {
  it('says whom it came from, and an ordinary message says nothing of the kind', () => {
    const forwarded = { ...base, metadata: { forwardedFrom: 'Игорь' } } as unknown as Message;
    const { getByTestId, queryAllByTestId } = render(<I18nProvider><ul>
      <MessageItem message={forwarded} onRetry={() => undefined} onReply={() => undefined} />
      <MessageItem message={{ ...base, id: 2 } as Message} onRetry={() => undefined} onReply={() => undefined} />
    </ul></I18nProvider>);
    expect(getByTestId('forwarded').textContent).toBe('↪ Forwarded from Игорь');
    expect(queryAllByTestId('forwarded')).toHaveLength(1);
  });
});

describe('a message delivered late', () => {
  it('shows when the customer wrote it, and an on-time one does not', () => {
    const lateOne = { ...base, sentAt: '2026-12-06T05:50:00Z' } as unknown as Message;
    const onTime = { ...base, id: 3, sentAt: '2026-12-06T05:59:30Z' } as unknown as Message;
    const { getAllByTestId } = render(<I18nProvider><ul>
      <MessageItem message={lateOne} onRetry={() => undefined} onReply={() => undefined} />
      <MessageItem message={onTime} onRetry={() => undefined} onReply={() => undefined} />
    </ul></I18nProvider>);
    expect(getAllByTestId('sent-late')).toHaveLength(1);
    expect(getAllByTestId('sent-late')[0].textContent).toMatch(/^written /);
  });
});

describe('a picture still being fetched from the provider', () => {
  afterEach(() => { vi.useRealTimers(); vi.unstubAllGlobals(); });

  it('is asked for again and shows once it has come, without a reload', async () => {
    vi.useFakeTimers();
    const answers = [
      new Response(JSON.stringify({ status: 409, detail: 'The file is still being fetched from the provider.' }), { status: 409, headers: { 'Content-Type': 'application/problem+json' } }),
      new Response('png', { status: 200, headers: { 'Content-Type': 'image/png' } }),
    ];
    const fetch = vi.fn(async () => answers.shift()!);
    vi.stubGlobal('fetch', fetch);
    URL.createObjectURL = vi.fn(() => 'blob:picture');
    URL.revokeObjectURL = vi.fn();
    const withPicture = { ...base, attachments: [{ id: 9, fileName: 'photo.jpg', contentType: 'image/jpeg', size: null, url: '/api/attachments/9' }] } as unknown as Message;
    const { container } = render(<I18nProvider><ul><MessageItem message={withPicture} onRetry={() => undefined} onReply={() => undefined} /></ul></I18nProvider>);

    await act(async () => { await vi.advanceTimersByTimeAsync(10); });
    expect(container.textContent).toContain('The file is still being fetched.');
    await act(async () => { await vi.advanceTimersByTimeAsync(5000); });
    await act(async () => { await vi.advanceTimersByTimeAsync(10); });

    expect(fetch).toHaveBeenCalledTimes(2);
    expect(container.querySelector('img')?.getAttribute('src')).toBe('blob:picture');
  });
});

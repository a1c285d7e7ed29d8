import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
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

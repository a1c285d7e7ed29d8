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

import { describe, expect, it } from 'vitest';
import { previewOf } from '../lib/inboxList';

const at = '2026-12-05T10:00:00Z';

describe('a conversation row\'s preview', () => {
  it('says "You" only for the caller\'s own message, a colleague\'s name for theirs, and nothing for the customer or the system', () => {
    expect(previewOf({ id: 1, direction: 'inbound', preview: 'Hello', createdAt: at, sender: null }, 7, 'Вы', '📎 Файл')).toBe('Hello');
    expect(previewOf({ id: 2, direction: 'outbound', preview: 'Sent the offer', createdAt: at, sender: { id: 7, name: 'Mia' } }, 7, 'Вы', '📎 Файл'))
      .toBe('Вы: Sent the offer');
    expect(previewOf({ id: 3, direction: 'outbound', preview: 'Sent the offer', createdAt: at, sender: { id: 8, name: 'Sam Supervisor' } }, 7, 'Вы', '📎 Файл'))
      .toBe('Sam Supervisor: Sent the offer');
    expect(previewOf({ id: 4, direction: 'note', preview: 'Snoozed', createdAt: at, sender: null }, 7, 'Вы', '📎 Файл')).toBe('Snoozed');
  });

  it('shows a message of files only (an empty preview) as a file, after "You:" too', () => {
    expect(previewOf({ id: 5, direction: 'outbound', preview: '', createdAt: at, sender: { id: 7, name: 'Mia' } }, 7, 'Вы', '📎 Файл')).toBe('Вы: 📎 Файл');
    expect(previewOf({ id: 6, direction: 'inbound', preview: ' ', createdAt: at, sender: null }, 7, 'Вы', '📎 File')).toBe('📎 File');
  });
});

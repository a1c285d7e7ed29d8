import { describe, expect, it } from 'vitest';
import { junkReasonName, lineTotal, overdueFirst } from '../components/cards/cardTypes';

describe('cards', () => {
  it('floats deals with an overdue next activity to the top, keeping the order otherwise', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    const deals = [
      { id: 1, nextActivity: null },
      { id: 2, nextActivity: { dueAt: '2026-01-11T09:00:00Z' } },
      { id: 3, nextActivity: { dueAt: '2026-01-09T09:00:00Z' } },
      { id: 4, nextActivity: { dueAt: '2026-01-10T11:59:00Z' } },
    ];
    expect(overdueFirst(deals, now).map((d) => d.id)).toEqual([3, 4, 1, 2]);
  });

  it('totals a products line as the server does: price × quantity less the discount, in cents', () => {
    expect(lineTotal({ name: 'x', price: 10, quantity: 3, discount: 10 })).toBe(27);
    expect(lineTotal({ name: 'x', price: 33.33, quantity: 0.5, discount: 0 })).toBe(16.67);
  });
});

describe('a junked lead\'s reason', () => {
  // The lead carries the English name it was junked with: a Russian card showed "Spam" for «Спам».
  const reasons = [{ id: 3, name: 'Spam', nameRu: 'Спам' }, { id: 4, name: 'Duplicate', nameRu: null }];
  it('is the catalogue entry\'s name in the reader\'s language', () => {
    expect(junkReasonName({ junkReason: 'Spam', junkReasonId: 3 }, reasons, 'ru')).toBe('Спам');
    expect(junkReasonName({ junkReason: 'Spam', junkReasonId: 3 }, reasons, 'en')).toBe('Spam');
    expect(junkReasonName({ junkReason: 'Duplicate', junkReasonId: 4 }, reasons, 'ru')).toBe('Duplicate');
  });
  it('is the text it was junked with when the catalogue has no such entry (typed, archived, not loaded)', () => {
    expect(junkReasonName({ junkReason: 'Не наш клиент', junkReasonId: null }, reasons, 'ru')).toBe('Не наш клиент');
    expect(junkReasonName({ junkReason: 'Spam', junkReasonId: 9 }, reasons, 'ru')).toBe('Spam');
    expect(junkReasonName({ junkReason: 'Spam', junkReasonId: 3 }, null, 'ru')).toBe('Spam');
    // A timeline entry (its `reason` and `junkReasonId`) goes through the same: nothing written, nothing shown.
    expect(junkReasonName({ junkReason: null, junkReasonId: null }, reasons, 'ru')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { lineTotal, overdueFirst } from '../components/cards/cardTypes';

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

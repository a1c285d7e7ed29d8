import { describe, expect, it } from 'vitest';
import { addAmount, currencyChoices, currencyLabel } from '../lib/currency';
import { amountPattern, money, moneyByCurrency, parseAmount } from '../lib/format';
import { currencySeries } from '../lib/reports';
import { moveCard } from '../pages/DealsPage';
import type { Board } from '../types';
import { dealCard } from './cacheFixtures';

// Intl separates thousands with a narrow no-break space in Russian and puts a no-break space before the symbol.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money', () => {
  it('keeps the cents of an amount that has them and shows a whole amount without', () => {
    expect(plain(money(99999.5, 'ru-RU', 'EUR'))).toBe('99 999,50 €');
    expect(plain(money(100000, 'ru-RU', 'EUR'))).toBe('100 000 €');
    expect(money(75000, 'en-GB', 'USD')).toBe('US$75,000');
    expect(money(0.99, 'en-GB', 'USD')).toBe('US$0.99');
    expect(plain(money(1234.5, 'ru-RU'))).toBe('1 234,50');
    expect(money(null, 'en-GB')).toBe('0');
  });

  it('rounds to cents: a fraction of a cent is no cents', () => {
    expect(plain(money(99999.999, 'ru-RU', 'EUR'))).toBe('100 000 €');
    expect(money(10.005, 'en-GB', 'USD')).toMatch(/^US\$10\.0[01]$/);
  });

  it('falls back to the bare number for a currency Intl refuses', () => {
    expect(money(5, 'en-GB', 'not a code')).toBe('5');
  });
});

describe('sums per currency', () => {
  it('shows each currency apart and never adds them', () => {
    const sums = [{ currency: 'USD', amount: 21 }, { currency: 'RUB', amount: 1 }];
    expect(plain(moneyByCurrency(sums, 'ru-RU'))).toBe('21 $ · 1 ₽');
    expect(plain(moneyByCurrency(sums, 'en-GB'))).toBe('US$21 · RUB 1');
    expect(plain(moneyByCurrency([{ currency: 'USD', amount: 75000 }, { currency: 'RUB', amount: 1 }], 'ru-RU'))).toBe('75 000 $ · 1 ₽');
  });

  it('leaves out zero sums, and says zero when nothing is left', () => {
    expect(plain(moneyByCurrency([{ currency: 'EUR', amount: 0 }, { currency: 'RUB', amount: 5 }], 'ru-RU'))).toBe('5 ₽');
    expect(plain(moneyByCurrency([{ currency: 'EUR', amount: 0 }], 'ru-RU'))).toBe('0 €');
    expect(moneyByCurrency([], 'ru-RU')).toBe('0');
    expect(moneyByCurrency(undefined, 'en-GB')).toBe('0');
  });

  it('adds and takes away per currency without float noise, dropping a currency that comes to zero', () => {
    const sums = [{ currency: 'USD', amount: 0.1 }];
    expect(addAmount(sums, 'USD', 0.2)).toEqual([{ currency: 'USD', amount: 0.3 }]);
    expect(addAmount(sums, 'RUB', 5)).toEqual([{ currency: 'USD', amount: 0.1 }, { currency: 'RUB', amount: 5 }]);
    expect(addAmount(sums, 'USD', -0.1)).toEqual([]);
    expect(addAmount(sums, 'EUR', 0)).toEqual(sums);
  });

  it('moves a card\'s amount between columns in its own currency', () => {
    const column = { semantic: 'open', order: 1, nextCursor: null };
    const board: Board = { pipelineId: 1, name: 'Sales', stages: [
      { ...column, stageId: 1, name: 'New', count: 2, totalAmount: 22, deals: [dealCard(1, { amount: 21 }), dealCard(2, { amount: 1, currency: 'RUB' })],
        totalAmountByCurrency: [{ currency: 'USD', amount: 21 }, { currency: 'RUB', amount: 1 }] },
      { ...column, stageId: 2, name: 'Proposal', count: 1, totalAmount: 3, deals: [dealCard(3, { amount: 3 })], totalAmountByCurrency: [{ currency: 'USD', amount: 3 }] },
    ] };
    const moved = moveCard(board, 2, 2);
    expect(moved.stages.map((s) => s.totalAmountByCurrency)).toEqual([
      [{ currency: 'USD', amount: 21 }],
      [{ currency: 'USD', amount: 3 }, { currency: 'RUB', amount: 1 }],
    ]);
  });

  it('charts one series per currency', () => {
    const rows = [
      { label: 'Ann', sums: [{ currency: 'USD', amount: 21 }, { currency: 'RUB', amount: 1 }] },
      { label: 'Bob', sums: [{ currency: 'EUR', amount: 7 }] },
    ];
    expect(currencySeries(rows, (r) => r.sums)).toEqual({
      data: [{ label: 'Ann', USD: 21, RUB: 1 }, { label: 'Bob', EUR: 7 }],
      currencies: ['USD', 'RUB', 'EUR'],
    });
  });
});

describe('deal currency', () => {
  it('offers the usual currencies plus the deal\'s own', () => {
    expect(currencyChoices('USD')).toEqual(['RUB', 'USD', 'EUR']);
    expect(currencyChoices('gbp')).toEqual(['RUB', 'USD', 'EUR', 'GBP']);
    expect(currencyChoices(null)).toEqual(['RUB', 'USD', 'EUR']);
  });

  it('names a currency in the UI\'s language', () => {
    expect(currencyLabel('RUB', 'ru-RU')).toBe('RUB · российский рубль');
    expect(currencyLabel('EUR', 'en-GB')).toBe('EUR · Euro');
  });
});

describe('an amount as typed', () => {
  // A number input in a Russian browser dropped the decimal comma: "1500,75" was saved as 150 075.
  it('reads either decimal separator and group spaces', () => {
    expect(parseAmount('1500,75')).toBe('1500.75');
    expect(parseAmount('1 500,75')).toBe('1500.75');
    expect(parseAmount('1\u00a0500.5')).toBe('1500.5');
    expect(parseAmount(' 42 ')).toBe('42');
  });
  it('refuses what is not an amount', () => {
    // "12,345" is refused rather than guessed: a thousands comma (12345) or three decimals.
    for (const bad of ['', '1,500,75', '1.2.3', '-5', '12,345', 'abc', '1e5', '0,123']) {
      expect(parseAmount(bad)).toBeNull();
    }
  });
  it('has the pattern the field checks agree with it', () => {
    const pattern = new RegExp(`^(?:${amountPattern})$`, 'v');
    for (const text of ['1500,75', '1 500,75', '1\u00a0500.5', '42', 'abc', '1,2,3', '-5', '0,123']) {
      expect(pattern.test(text)).toBe(parseAmount(text) !== null);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { filterCanned, slashToken, type CannedResponse } from '../lib/canned';

let nextId = 1;
const r = (shortcut: string, title: string | null, text: string): CannedResponse =>
  ({ id: nextId++, shortcut, title, text, shared: false, canEdit: true, attachments: [], createdAt: '', updatedAt: '' });

describe('canned responses', () => {
  it('opens on "/" at the start or after whitespace only, up to the caret', () => {
    expect(slashToken('/gre', 4)).toEqual({ start: 0, query: 'gre' });
    expect(slashToken('Hi /th', 6)).toEqual({ start: 3, query: 'th' });
    expect(slashToken('Hi\n/', 4)).toEqual({ start: 3, query: '' });
    expect(slashToken('and/or', 6)).toBeNull();
    expect(slashToken('http://x', 8)).toBeNull();
    expect(slashToken('/th more', 8)).toBeNull();
    expect(slashToken('/th more', 3)).toEqual({ start: 0, query: 'th' });
  });

  it('matches shortcut, title and text loosely, best first', () => {
    const list = [r('delivery', null, 'Shipping takes 3 days, thanks'), r('thanks', 'Thank you', 'Thanks!'), r('price', 'Price list', 'Prices attached')];
    expect(filterCanned(list, 'thanks').map((x) => x.shortcut)).toEqual(['thanks', 'delivery']);
    expect(filterCanned(list, 'tnks').map((x) => x.shortcut)).toEqual(['thanks']);
    expect(filterCanned(list, 'list attached').map((x) => x.shortcut)).toEqual(['price']);
    expect(filterCanned(list, '')).toHaveLength(3);
    expect(filterCanned(list, 'zzz')).toEqual([]);
  });
});

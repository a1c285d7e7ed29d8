import { describe, expect, it } from 'vitest';
import { type ListFilter } from '../lib/inboxList';
import { push } from './cacheFixtures';
import { textOn } from '../components/labels/labelStore';
import type { ConversationSummary } from '../types';

const conv = (id: number, labels: { id: number; name: string; color: string }[]): ConversationSummary => ({
  id, channel: { id: 1, kind: 'api', name: 'API' }, contact: { id, name: `Contact ${id}` }, status: 'open', assignee: null,
  unreadCount: 0, lastMessage: null, waitingSince: null, leadId: null, dealId: null,
  createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', labels,
});
const vip = { id: 7, name: 'VIP', color: '#ffd700' };
const byVip: ListFilter = { view: 'all', status: 'open', channelId: '', q: '', labelId: '7' };

describe('label filter on pushed summaries', () => {
  it('a summary that loses the label leaves the filtered list, one that gains it joins', () => {
    const list = push([], conv(1, [vip]), byVip, 1);
    expect(list.map((c) => c.id)).toEqual([1]);
    expect(push(list, conv(1, []), byVip, 1)).toEqual([]);
    expect(push([], conv(2, []), byVip, 1)).toEqual([]);
    expect(push([], conv(2, []), { ...byVip, labelId: '' }, 1).map((c) => c.id)).toEqual([2]);
  });
});

describe('chip text colour', () => {
  const luminance = (hex: string) => {
    const ch = (i: number) => { const c = parseInt(hex.slice(i, i + 2), 16) / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5);
  };
  const contrast = (a: string, b: string) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  it('is black on light colours, white on dark ones, and always at least 4.5:1', () => {
    expect(textOn('#ffd700')).toBe('#000');
    expect(textOn('#1a237e')).toBe('#fff');
    for (const color of ['#ff0000', '#00ff00', '#0000ff', '#777777', '#808080', '#2563eb', '#ffffff', '#000000', '#c62828', '#1b7f3b']) {
      const text = textOn(color) === '#000' ? '#000000' : '#ffffff';
      expect(contrast(color, text)).toBeGreaterThanOrEqual(4.5);
    }
  });
});

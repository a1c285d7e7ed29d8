// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { languages } from '../strings';
import { byActivity, type ListFilter } from '../lib/inboxList';
import { dealCard, push } from './cacheFixtures';
import { sanitizeEmail, splitQuoted } from '../lib/email';
import { fileSize, isInlineImage, messageSnippet, smsSegments } from '../lib/format';
import { percent } from '../lib/reports';
import { backoffDelay, Realtime } from '../lib/realtime';
import { moveCard } from '../pages/DealsPage';
import { addCreated, upsertMessage } from '../lib/messageList';
import type { Board, ConversationSummary, Message } from '../types';

const conv = (id: number, at: string, patch: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id, channel: { id: 1, kind: 'api', name: 'API' }, contact: { id, name: `Contact ${id}` }, status: 'open', assignee: null,
  unreadCount: 0, lastMessage: { id: id * 10, direction: 'inbound', preview: 'hi', createdAt: at }, waitingSince: null,
  leadId: null, dealId: null, createdAt: at, updatedAt: at, ...patch,
});
const all: ListFilter = { view: 'all', status: 'open', channelId: '', q: '' };

describe('strings', () => {
  it('Russian has every English key, none empty', () => {
    for (const key of Object.keys(languages.en) as (keyof typeof languages.en)[]) {
      expect(languages.ru[key], key).toBeTruthy();
    }
  });
});

describe('live conversation list', () => {
  it('a new message moves its conversation to the top', () => {
    const list = [conv(1, '2026-01-01T10:00:00Z'), conv(2, '2026-01-01T09:00:00Z')].sort(byActivity);
    const next = push(list, conv(2, '2026-01-01T11:00:00Z', { unreadCount: 1 }), all, 7);
    expect(next.map((c) => c.id)).toEqual([2, 1]);
    expect(next[0].unreadCount).toBe(1);
  });
  it('a conversation leaves Unassigned when someone takes it', () => {
    const f: ListFilter = { ...all, view: 'unassigned' };
    const next = push([conv(1, '2026-01-01T10:00:00Z')], conv(1, '2026-01-01T10:00:00Z', { assignee: { id: 5, name: 'Mia' } }), f, 7);
    expect(next).toEqual([]);
  });
  it('a resolved conversation leaves the Open filter and a new one joins', () => {
    const next = push([conv(1, '2026-01-01T10:00:00Z')], conv(1, '2026-01-01T10:00:00Z', { status: 'resolved' }), all, 7);
    expect(next).toEqual([]);
    expect(push(next, conv(3, '2026-01-01T12:00:00Z'), all, 7).map((c) => c.id)).toEqual([3]);
  });
});

describe('email', () => {
  it('folds quoted plain-text history', () => {
    const { body, quoted } = splitQuoted('Thanks!\n\nOn Mon, Bob wrote:\n> hello\n> there');
    expect(body).toBe('Thanks!');
    expect(quoted).toContain('> hello');
  });
  it('removes scripts and folds blockquotes', () => {
    const html = sanitizeEmail('<p onclick="x()">Hi<script>alert(1)</script></p><blockquote>old</blockquote>', 'Show quoted');
    expect(html).not.toContain('script');
    expect(html).not.toContain('onclick');
    expect(html).toContain('<details class="quoted"><summary>Show quoted</summary><blockquote>old</blockquote></details>');
  });
});

describe('sms segments', () => {
  it('counts GSM-7 and UCS-2', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', characters: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161)).segments).toBe(2);
    expect(smsSegments('Привет').encoding).toBe('UCS-2');
    expect(smsSegments('я'.repeat(71)).segments).toBe(2);
  });
});

describe('composer', () => {
  it('quotes a message by its text, else by its first file', () => {
    expect(messageSnippet({ text: '  Can you\n send it? ', attachments: [] })).toBe('Can you send it?');
    expect(messageSnippet({ text: 'x'.repeat(200), attachments: [] }, 10)).toBe('xxxxxxxxx…');
    expect(messageSnippet({ text: '', attachments: [{ fileName: 'a.pdf' }] })).toBe('a.pdf');
  });
  it('shows file sizes in KB and MB, in the UI\'s language', () => {
    expect(fileSize(10)).toBe('1 KB');
    expect(fileSize(3 * 1024 * 1024)).toBe('3.0 MB');
    expect(fileSize(10, 'ru-RU')).toBe('1 КБ');
    expect(fileSize(1.5 * 1024 * 1024, 'ru-RU')).toBe('1,5 МБ');
  });
  it('shows shares as percentages in the UI\'s language', () => {
    expect(percent(0.714)).toBe('71.4%');
    expect(percent(0.714, 'ru-RU').replace(/\s/g, ' ')).toBe('71,4 %');
    expect(percent(null, 'ru-RU')).toBe('—');
  });
});

describe('reconnect backoff', () => {
  it('grows and is capped at 30 s', () => {
    expect(backoffDelay(0, () => 0.5)).toBe(1000);
    expect(backoffDelay(3, () => 0.5)).toBe(8000);
    expect(backoffDelay(20, () => 0.5)).toBe(30000);
  });
});

describe('deals board', () => {
  it('moving a card changes both columns\' counts and sums', () => {
    const column = { semantic: 'open', order: 1, nextCursor: null };
    const board: Board = { pipelineId: 1, name: 'Sales', stages: [
      { ...column, stageId: 1, name: 'New', count: 1, totalAmount: 100, totalAmountByCurrency: [{ currency: 'USD', amount: 100 }], deals: [dealCard(9, { amount: 100, currency: 'USD' })] },
      { ...column, stageId: 2, name: 'Won', count: 0, totalAmount: 0, totalAmountByCurrency: [], deals: [] },
    ] };
    const moved = moveCard(board, 9, 2);
    expect(moved.stages.map((s) => [s.count, s.totalAmount])).toEqual([[0, 0], [1, 100]]);
    expect(moved.stages.map((s) => s.totalAmountByCurrency)).toEqual([[], [{ currency: 'USD', amount: 100 }]]);
    expect(moved.stages[1].deals[0].stageId).toBe(2);
    expect(moveCard(moved, 9, 1)).toEqual(board);
  });
});

describe('message list', () => {
  const msg = (id: number | string, status: Message['status'], patch: Partial<Message> = {}): Message => ({
    id, conversationId: 1, direction: 'outbound', text: 'Here it is.', html: null, attachments: [],
    sender: { type: 'user', id: 7, name: 'Mia' }, status, error: null, externalId: null, createdAt: '2026-11-27T00:11:05Z', revision: 0, ...patch,
  });

  it('a reply sent before its POST answered stays sent when the answer (queued) arrives', () => {
    const withPending = [msg('tmp-1', 'queued', { pending: true })];
    const afterPush = upsertMessage(withPending, msg(5, 'sent'));
    const settled = addCreated(afterPush.filter((m) => m.id !== 'tmp-1'), msg(5, 'queued'));
    expect(settled.map((m) => [m.id, m.status])).toEqual([[5, 'sent']]);
  });

  it('a late messageCreated never takes the place of a later state, and an update always does', () => {
    const list = [msg(5, 'failed', { error: 'refused' })];
    expect(addCreated(list, msg(5, 'queued'))[0].status).toBe('failed');
    expect(upsertMessage(list, msg(5, 'queued'))[0].status).toBe('queued');
    expect(addCreated([], msg(6, 'queued')).map((m) => m.id)).toEqual([6]);
  });

  it('of two pushes of one message arriving out of order, the later revision stays', () => {
    // failed (1) -> retry: queued (2) -> outbox: sent (3); the retry's push can arrive after the outbox's.
    const failed = [msg(5, 'failed', { error: 'refused', revision: 1 })];
    const sentFirst = upsertMessage(upsertMessage(failed, msg(5, 'sent', { revision: 3 })), msg(5, 'queued', { revision: 2 }));
    expect(sentFirst.map((m) => [m.status, m.revision])).toEqual([['sent', 3]]);
    const inOrder = upsertMessage(upsertMessage(failed, msg(5, 'queued', { revision: 2 })), msg(5, 'sent', { revision: 3 }));
    expect(inOrder.map((m) => [m.status, m.revision])).toEqual([['sent', 3]]);
    // The browser's own copy (pending) has no revision of the server's: the server's copy always replaces it.
    expect(upsertMessage([msg(5, 'queued', { pending: true, revision: 9 })], msg(5, 'sent', { revision: 1 }))[0].status).toBe('sent');
  });
});

describe('first join', () => {
  // `connected` is what the class calls once the server answered `Ready` (the groups are joined).
  const join = (hub: Realtime) => (hub as unknown as { connected: () => void }).connected();

  it('a first read waits for the join, and then no resync is needed', async () => {
    const hub = new Realtime(() => 'token', 'http://localhost:5080/hubs/inbox');
    const resyncs: string[] = [];
    hub.on('resync', (e) => resyncs.push(e.reason));
    let read = false;
    const waiting = hub.whenJoined(60_000).then(() => { read = true; });
    await Promise.resolve();
    expect(read).toBe(false);
    join(hub);
    await waiting;
    expect(read).toBe(true);
    expect(resyncs).toEqual([]);
    await hub.whenJoined(0); // already joined: at once
  });

  it('a read that stopped waiting (hub down) gets a resync when the join comes, and a reconnect one later', async () => {
    vi.useFakeTimers();
    try {
      const hub = new Realtime(() => 'token', 'http://localhost:5080/hubs/inbox');
      const resyncs: string[] = [];
      hub.on('resync', (e) => resyncs.push(e.reason));
      const waiting = hub.whenJoined(3000);
      await vi.advanceTimersByTimeAsync(3000);
      await waiting;
      expect(resyncs).toEqual([]);
      join(hub);
      expect(resyncs).toEqual(['joined']);
      join(hub);
      expect(resyncs).toEqual(['joined', 'reconnected']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('isInlineImage', () => {
  it('never shows SVG inline, whatever its case or parameters', () => {
    for (const t of ['image/svg+xml', 'image/SVG+xml', 'IMAGE/SVG+XML', 'image/svg+xml; charset=utf-8', 'text/html', 'image/', '']) {
      expect(isInlineImage(t)).toBe(false);
    }
  });
  it('shows raster images whatever their case', () => {
    for (const t of ['image/png', 'IMAGE/PNG', 'image/jpeg; q=1', ' image/webp ']) {
      expect(isInlineImage(t)).toBe(true);
    }
  });
});

// Test helpers: conversation lists as the query cache holds them (pages), a push applied to a flat list, a hub.
import { applyUpdated, listItems, type ListPages } from '../lib/inboxCache';
import type { ListFilter } from '../lib/inboxList';
import type { HubEvents, Realtime } from '../lib/realtime';
import type { ConversationSummary, DealCard, Id } from '../types';

/** Pages as read from the server, each but the last with a next cursor. */
export const pagesOf = (...pages: ConversationSummary[][]): ListPages => ({
  pages: pages.map((items, i) => ({ items, nextCursor: i < pages.length - 1 ? `c${i + 1}` : null })),
  pageParams: pages.map((_, i) => (i === 0 ? null : `c${i}`)),
});

/** A `conversationUpdated` push on a list read as one page: the rows on screen afterwards. */
export function push(list: ConversationSummary[], c: ConversationSummary, f: ListFilter, me: Id): ConversationSummary[] {
  const next = applyUpdated(pagesOf(list), c, f, me);
  if (!next) throw new Error('the push asked for a re-read');
  return listItems(next, f);
}

/** The hub as feedCache sees it: handlers by event name, and `raise` to deliver an event to them. */
export function fakeHub() {
  const handlers = new Map<string, ((p: never) => void)[]>();
  const hub: Pick<Realtime, 'on'> = {
    on: (name, handler) => {
      handlers.set(name, [...(handlers.get(name) ?? []), handler as (p: never) => void]);
      return () => undefined;
    },
  };
  const raise = <E extends keyof HubEvents>(name: E, payload: HubEvents[E]) => (handlers.get(name) ?? []).forEach((h) => h(payload as never));
  return { hub, raise };
}

/** A deal's board card as the server writes it (hub `dealUpdated`, a board column's deals). */
export const dealCard = (id: number, changes: Partial<DealCard> = {}): DealCard => ({
  id, title: `D${id}`, amount: 0, currency: 'EUR', pipelineId: 1, stageId: 1, contact: null, assignee: null, outcome: null,
  nextActivity: null, stageEnteredAt: '2026-01-01T10:00:00Z', createdAt: '2026-01-01T10:00:00Z', ...changes,
});

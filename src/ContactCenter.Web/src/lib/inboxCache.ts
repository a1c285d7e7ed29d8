// Pure functions from a hub event and the cached pages of a conversation list to the new pages.
import type { InfiniteData } from '@tanstack/react-query';
import { mergePage, matches, orderOf, type ListFilter } from './inboxList';
import { laterCopy } from './conversationRevisions';
import { sameId, type ConversationSummary, type Id, type Page } from '../types';

/** A conversation list as the cache holds it: the pages read so far, each with the cursor of the next. */
export type ListPages = InfiniteData<Page<ConversationSummary>>;

/** The rows on screen: every page read, each conversation once, in the filter's order. */
export function listItems(data: ListPages | undefined, f: ListFilter): ConversationSummary[] {
  return (data?.pages ?? []).reduce<ConversationSummary[]>((list, page) => mergePage(list, page.items, f), []);
}

const without = (data: ListPages, id: Id): ListPages => ({
  ...data,
  pages: data.pages.map((p) => (p.items.some((c) => sameId(c.id, id)) ? { ...p, items: p.items.filter((c) => !sameId(c.id, id)) } : p)),
});

/**
 * Applies `conversationUpdated`. A listed conversation is replaced (or dropped when it left the view) and takes its
 * place in the order, even if its old page was further down; a new one that matches the view is added. `null` when
 * only the server can tell: a conversation not listed yet under a search (the server searches more than the name).
 * A push older than the listed copy (a smaller `revision`) changes nothing.
 */
export function applyUpdated(data: ListPages, c: ConversationSummary, f: ListFilter, me: Id): ListPages | null {
  const held = data.pages.flatMap((p) => p.items).find((x) => sameId(x.id, c.id));
  const listed = held !== undefined;
  if (held && laterCopy(held, c) === held) return data; // the list holds a later state (a read newer than this push)
  if (!listed && f.q) return null;
  const rest = listed ? without(data, c.id) : data;
  if (!matches(c, f, me)) return rest;
  // It goes to the first page; listItems sorts across pages, and its old page no longer holds it.
  const [first, ...others] = rest.pages;
  if (!first) return rest;
  return { ...rest, pages: [{ ...first, items: [c, ...first.items].sort(orderOf(f)) }, ...others] };
}

/** Applies `conversationRemoved`: the caller no longer sees it. */
export function applyRemoved(data: ListPages, id: Id): ListPages {
  return without(data, id);
}

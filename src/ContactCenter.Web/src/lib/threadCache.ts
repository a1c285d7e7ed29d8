// Pure functions from a hub event (or a write's answer) and the cached pages of a thread to the new pages.
import type { InfiniteData } from '@tanstack/react-query';
import { addCreated, byTime, upsertMessage } from './messageList';
import { sameId, type ConversationDetails, type ConversationSummary, type Id, type Message, type Page } from '../types';

/** One page of a thread: older messages follow `nextCursor`; a page opened at a search hit also has newer ones. */
export type ThreadPage = Page<Message> & { newerCursor?: string | null };
/** A thread as the cache holds it: the pages read so far (older pages after, newer ones before). */
export type ThreadPages = InfiniteData<ThreadPage>;

/** The thread on screen: every page read, each message once, oldest first. */
export function threadMessages(data: ThreadPages | undefined): Message[] {
  const seen = new Set<string>();
  const all: Message[] = [];
  for (const page of data?.pages ?? []) {
    for (const m of page.items) if (!seen.has(String(m.id))) { seen.add(String(m.id)); all.push(m); }
  }
  return all.sort(byTime);
}

/**
 * Applies a message to the page that holds it, or to the first page when it is new. A creation (`messageCreated`,
 * a POST's answer) never replaces a later state of the same message already there (see `addCreated`). A new message
 * is not put into a thread opened at a search hit whose newest page is not read yet (the first page has a newer
 * cursor): it belongs after messages not loaded, and the thread, taking it for its newest, marked all of them read.
 */
export function applyMessage(data: ThreadPages, m: Message, created: boolean): ThreadPages {
  const put = (list: Message[]) => (created ? addCreated(list, m) : upsertMessage(list, m));
  const at = data.pages.findIndex((p) => p.items.some((x) => sameId(x.id, m.id)));
  if (at < 0 && data.pages[0]?.newerCursor) return data; // "Newer messages" reads it with the rest
  const index = Math.max(0, at);
  if (!data.pages[index]) return data;
  return { ...data, pages: data.pages.map((p, i) => (i === index ? { ...p, items: put(p.items) } : p)) };
}

/**
 * Applies `conversationUpdated` to an open conversation's details (the contact's details stay: the push has a summary);
 * a push older than the details held (a smaller `revision`) changes nothing.
 */
export function applyConversation(d: ConversationDetails, c: ConversationSummary): ConversationDetails {
  return (d.revision ?? 0) > (c.revision ?? 0) ? d : { ...d, ...c, contact: d.contact };
}

/**
 * The browser's local copies still to show: a copy whose reply the thread already holds (its push or the POST's answer
 * landed a render before the copy's removal) is left out, so the reply never shows twice. A twin is a server message
 * from `me` with the same direction and text and an id above the newest the thread held when the copy was sent; each
 * server message stands for one copy at most (the same text sent twice keeps its second copy until its own twin lands).
 */
export function pendingNotLanded(server: Message[], pending: Message[], me: Id): Message[] {
  const used = new Set<string>();
  return pending.filter((p) => {
    const twin = server.find((m) => !used.has(String(m.id)) && m.sender?.type === 'user' && sameId(m.sender.id, me)
      && m.direction === p.direction && m.text === p.text && Number(m.id) > (p.after ?? Number.MAX_SAFE_INTEGER));
    if (!twin) return true;
    used.add(String(twin.id));
    return false;
  });
}

/** The newest server message id in a thread (0 when it has none): a local copy's `after`. */
export const newestId = (server: Message[]) => server.reduce((max, m) => Math.max(max, Number(m.id) || 0), 0);

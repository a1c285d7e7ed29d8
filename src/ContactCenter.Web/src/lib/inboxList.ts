// Pure helpers for the live conversation list: does a pushed summary belong in the current view, and in what order.
import { sameId, type ConversationSummary, type Id } from '../types';

export interface ListFilter { view: 'mine' | 'unassigned' | 'all'; status: string; channelId: string; q: string; labelId?: string }

export function matches(c: ConversationSummary, f: ListFilter, me: Id): boolean {
  if (f.view === 'mine' && !sameId(c.assignee?.id, me)) return false;
  if (f.view === 'unassigned' && c.assignee) return false;
  if (f.status && c.status !== f.status) return false;
  if (f.channelId && String(c.channel.id) !== f.channelId) return false;
  if (f.labelId && !(c.labels ?? []).some((l) => String(l.id) === f.labelId)) return false;
  return true;
}

const activity = (c: ConversationSummary) => c.lastMessage?.createdAt ?? c.createdAt;

export function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  const d = Date.parse(activity(b)) - Date.parse(activity(a));
  if (d !== 0) return d;
  return String(b.id).localeCompare(String(a.id), undefined, { numeric: true });
}

/**
 * Applies a pushed summary. A conversation already listed is updated (or dropped if it left the view); a new one
 * is added when it matches the view (with a search, only if the name matches: the server's search is wider).
 */
export function upsert(list: ConversationSummary[], c: ConversationSummary, f: ListFilter, me: Id): ConversationSummary[] {
  const i = list.findIndex((x) => sameId(x.id, c.id));
  const fits = matches(c, f, me);
  if (i >= 0) {
    const next = list.slice();
    if (fits) next[i] = c; else next.splice(i, 1);
    return next.sort(byActivity);
  }
  if (!fits) return list;
  if (f.q && !c.contact.name.toLowerCase().includes(f.q.trim().toLowerCase())) return list;
  return [...list, c].sort(byActivity);
}

export function mergePage(list: ConversationSummary[], page: ConversationSummary[]): ConversationSummary[] {
  const seen = new Set(list.map((c) => String(c.id)));
  return [...list, ...page.filter((c) => !seen.has(String(c.id)))].sort(byActivity);
}

/**
 * A change pushed while a page was being read: replayed on the page when it arrives, since the page may predate it.
 * (Pushes themselves arrive in order and are read after their commit, so the last one is the current state.)
 */
export type ListChange = { updated: ConversationSummary } | { removed: Id };

export function replay(list: ConversationSummary[], changes: ListChange[], f: ListFilter, me: Id): ConversationSummary[] {
  return changes.reduce((l, change) => ('updated' in change
    ? upsert(l, change.updated, f, me)
    : l.filter((c) => !sameId(c.id, change.removed))), list);
}

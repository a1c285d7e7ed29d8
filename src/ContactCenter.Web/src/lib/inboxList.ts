// Pure helpers for the live conversation list: does a pushed summary belong in the current view, and in what order.
import { sameId, type ConversationSummary, type Id } from '../types';

export interface ListFilter {
  view: 'mine' | 'unassigned' | 'all'; status: string; channelId: string; q: string;
  /** Issue #16 (the filter bar): '' | 'unassigned' | a user id; local dates yyyy-mm-dd; the server's sort name. */
  assigneeId?: string; from?: string; to?: string; unread?: boolean; sort?: ListSort; labelId?: string;
}
export type ListSort = 'newest' | 'oldest' | 'waiting';

/** A local date (yyyy-mm-dd) as the instant its day starts, or (end) the last millisecond of that day. */
export function dayBound(date: string, end: boolean): Date {
  const [y, m, d] = date.split('-').map(Number);
  return end ? new Date(new Date(y, m - 1, d + 1).getTime() - 1) : new Date(y, m - 1, d);
}

export function matches(c: ConversationSummary, f: ListFilter, me: Id): boolean {
  if (f.view === 'mine' && !sameId(c.assignee?.id, me)) return false;
  if (f.view === 'unassigned' && c.assignee) return false;
  if (f.status && c.status !== f.status) return false;
  if (f.channelId && String(c.channel.id) !== f.channelId) return false;
  if (f.assigneeId === 'unassigned' && c.assignee) return false;
  if (f.assigneeId && f.assigneeId !== 'unassigned' && !sameId(c.assignee?.id, f.assigneeId)) return false;
  if (f.unread && c.unreadCount <= 0) return false;
  const at = Date.parse(activity(c));
  if (f.from && at < dayBound(f.from, false).getTime()) return false;
  if (f.to && at > dayBound(f.to, true).getTime()) return false;
  if (f.labelId && !(c.labels ?? []).some((l) => String(l.id) === f.labelId)) return false;
  return true;
}

const activity = (c: ConversationSummary) => c.lastMessage?.createdAt ?? c.createdAt;

export function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  const d = Date.parse(activity(b)) - Date.parse(activity(a));
  if (d !== 0) return d;
  return String(b.id).localeCompare(String(a.id), undefined, { numeric: true });
}

const byWaiting = (a: ConversationSummary, b: ConversationSummary): number => {
  if (a.waitingSince && b.waitingSince) {
    const d = Date.parse(a.waitingSince) - Date.parse(b.waitingSince);
    if (d !== 0) return d;
  } else if (a.waitingSince || b.waitingSince) return a.waitingSince ? -1 : 1;
  return String(a.id).localeCompare(String(b.id), undefined, { numeric: true });
};

/** The list's order for the filter's sort (the server's: newest, oldest, longest waiting with answered ones last). */
export function orderOf(f?: ListFilter): (a: ConversationSummary, b: ConversationSummary) => number {
  if (f?.sort === 'oldest') return (a, b) => byActivity(b, a);
  if (f?.sort === 'waiting') return byWaiting;
  return byActivity;
}

export function mergePage(list: ConversationSummary[], page: ConversationSummary[], f?: ListFilter): ConversationSummary[] {
  const seen = new Set(list.map((c) => String(c.id)));
  return [...list, ...page.filter((c) => !seen.has(String(c.id)))].sort(orderOf(f));
}

/**
 * A row's preview: the customer's words as they are, the caller's own reply or note after "You:", a colleague's after
 * their name, an automated or system message as it is (an outside review found every outgoing message marked "You:").
 */
/** A message with no text is one sent with files only (the server's preview is empty): `file` stands for it. */
export function previewOf(last: NonNullable<ConversationSummary['lastMessage']>, me: Id, you: string, file: string): string {
  const text = last.preview.trim() === '' ? file : last.preview;
  if (last.direction === 'inbound' || !last.sender) return text;
  return `${sameId(last.sender.id, me) ? you : last.sender.name}: ${text}`;
}

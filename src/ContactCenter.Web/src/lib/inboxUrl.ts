// The inbox filters in the URL's query string (issue #16): only what differs from the defaults, so /inbox stays clean.
import type { ListFilter, ListSort } from './inboxList';

const Views = ['mine', 'unassigned', 'all'];
const Statuses = ['open', 'pending', 'snoozed', 'resolved', ''];
const SortNames: ListSort[] = ['newest', 'oldest', 'waiting'];
const isDate = (v: string | null) => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** The filter a URL asks for, or null when it names none (then the last one used applies). */
export function filterFromUrl(search: string): ListFilter | null {
  const p = new URLSearchParams(search);
  const keys = ['view', 'status', 'channelId', 'assigneeId', 'from', 'to', 'unread', 'sort', 'labelId'];
  if (!keys.some((k) => p.has(k))) return null;
  const view = p.get('view') ?? 'all';
  const status = p.get('status') ?? 'open';
  const sort = p.get('sort') as ListSort | null;
  return {
    view: (Views.includes(view) ? view : 'all') as ListFilter['view'],
    status: Statuses.includes(status) ? status : 'open',
    channelId: /^\d+$/.test(p.get('channelId') ?? '') ? p.get('channelId')! : '',
    q: '',
    assigneeId: p.get('assigneeId') ?? '',
    from: isDate(p.get('from')) ? p.get('from')! : '',
    to: isDate(p.get('to')) ? p.get('to')! : '',
    unread: p.get('unread') === 'true',
    sort: sort && SortNames.includes(sort) ? sort : 'newest',
    ...(/^\d+$/.test(p.get('labelId') ?? '') ? { labelId: p.get('labelId')! } : {}),
  };
}

export function filterToUrl(f: ListFilter): string {
  const p = new URLSearchParams();
  if (f.view !== 'all') p.set('view', f.view);
  if (f.status !== 'open') p.set('status', f.status);
  if (f.channelId) p.set('channelId', f.channelId);
  if (f.assigneeId) p.set('assigneeId', f.assigneeId);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.unread) p.set('unread', 'true');
  if (f.sort && f.sort !== 'newest') p.set('sort', f.sort);
  if (f.labelId) p.set('labelId', f.labelId);
  const s = p.toString();
  return s ? `?${s}` : '';
}

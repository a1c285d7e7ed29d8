// The thread's message list: arrival order of hub events and HTTP answers is not the order of the changes.
import { sameId, type Message } from '../types';

export const byTime = (a: Message, b: Message) => Date.parse(a.createdAt) - Date.parse(b.createdAt);

/**
 * Puts a message in the list, replacing its copy unless that copy is a later state (a greater revision): two pushes
 * of one message, say the retry's "queued" and the outbox's "sent", can arrive in either order.
 */
export function upsertMessage(list: Message[], m: Message): Message[] {
  const i = list.findIndex((x) => sameId(x.id, m.id));
  if (i >= 0 && !list[i].pending && (list[i].revision ?? 0) > (m.revision ?? 0)) return list;
  if (i >= 0) { const next = list.slice(); next[i] = m; return next; }
  return [...list, m].sort(byTime);
}

/**
 * A message as it was created (the POST's answer, `messageCreated`) can arrive after a later state of it: the outbox
 * may send it and push `messageUpdated` (sent) first. The creation never replaces what the list already has.
 */
export function addCreated(list: Message[], m: Message): Message[] {
  return list.some((x) => sameId(x.id, m.id) && !x.pending) ? list : upsertMessage(list, m);
}

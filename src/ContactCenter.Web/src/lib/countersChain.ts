// The caller's counters follow one chain of versions (server: CounterChain). `countersChanged` carries one step
// (from -> version, changes to add); `GET /api/counters` answers a value on the same chain, and its step goes to the
// user's tabs too. While a read is on its way, steps are kept and folded into its answer: the read's own step and
// any later ones then continue from it, where applied to the older value they would look like gaps.
import type { QueryClient } from '@tanstack/react-query';
import type { Schemas } from '../api/client';
import type { Id } from '../types';

type Counters = Schemas['Counters'];
type CountersChange = Schemas['CountersChange'];

const fields = ['unreadConversations', 'unreadMessages', 'mine', 'unassigned', 'overdueActivities', 'activitiesDueToday', 'dealsWithoutActivity'] as const;

const zero: Counters = { version: '', unreadConversations: 0, unreadMessages: 0, mine: 0, unassigned: 0, overdueActivities: 0, activitiesDueToday: 0, dealsWithoutActivity: 0 };

/** Versions are fixed-width strings: the greater one was read later and saw every change the lesser one saw. */
export function isNewer(a: string, b: string): boolean {
  return a > b;
}

/**
 * What `change` makes of `state`: the next value when it continues from `state`'s version (or carries whole values),
 * `null` when `state` already has it or a later one, and `'gap'` when a step was missed (re-read through REST).
 */
export function applyCountersChange(state: Counters | undefined, change: CountersChange): Counters | null | 'gap' {
  if (state && !isNewer(change.version, state.version)) return null;
  const base = change.from == null ? zero : state && state.version === change.from ? state : undefined;
  if (!base) return 'gap';
  const next: Counters = { ...base, version: change.version };
  for (const f of fields) next[f] = base[f] + change.changes[f];
  return next;
}

/**
 * A REST answer with the steps that arrived while it was on its way: the newer of the cached value and the answer,
 * then the steps in version order (two nodes may deliver them out of order), each added when it continues the value.
 * `gap` when a step newer than the result is left over: one was missed, read again.
 */
export function settleRead(cached: Counters | undefined, answer: Counters, steps: CountersChange[]): { value: Counters; gap: boolean } {
  let value = cached && isNewer(cached.version, answer.version) ? cached : answer;
  for (const step of [...steps].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))) {
    const next = applyCountersChange(value, step);
    if (next && next !== 'gap') value = next;
  }
  return { value, gap: steps.some((s) => isNewer(s.version, value.version)) };
}

interface Held { user: Id; steps: CountersChange[]; overflow: boolean }
const held = new WeakMap<QueryClient, Held>();
const maxHeld = 1000;

/** Keeps a step that arrived for `user` while their counters are being read, for {@link takeHeldSteps}. */
export function holdStep(client: QueryClient, user: Id, step: CountersChange) {
  const mine = held.get(client);
  const box = mine && mine.user === user ? mine : { user, steps: [], overflow: false };
  if (box.steps.length < maxHeld) box.steps.push(step);
  else box.overflow = true;
  held.set(client, box);
}

/**
 * The steps held for `user` (none when they were held for another user of the same tab, before a sign-out), and
 * whether some were dropped for space: then the answer cannot be trusted to be followed by them, read again.
 */
export function takeHeldSteps(client: QueryClient, user: Id): { steps: CountersChange[]; overflow: boolean } {
  const box = held.get(client);
  held.delete(client);
  return box && box.user === user ? { steps: box.steps, overflow: box.overflow } : { steps: [], overflow: false };
}

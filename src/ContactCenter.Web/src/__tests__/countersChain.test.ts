import { describe, expect, it } from 'vitest';
import type { Schemas } from '../api/client';
import { applyCountersChange, settleRead } from '../lib/countersChain';

type Counters = Schemas['Counters'];
type CountersChange = Schemas['CountersChange'];
type Values = Omit<Counters, 'version'>;

const fields = ['unreadConversations', 'unreadMessages', 'mine', 'unassigned', 'overdueActivities', 'activitiesDueToday', 'dealsWithoutActivity'] as const;
const values = (c: Counters): Values => Object.fromEntries(fields.map((f) => [f, c[f]])) as Values;

/** A seeded generator, so a failure replays. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

/**
 * The server side as CounterChain runs it, in miniature: reads take a version from one clock and snapshot the true
 * values; a read advances the chain only when it is newer than the stored value, and its step goes out through one
 * of two nodes (each delivers in order, the client hears them interleaved); some steps are lost (a dropped socket);
 * now and then Redis is away (whole values go out, the chain does not move) or restarts empty.
 * The client as the app runs it (lib/hubCache.ts, live.tsx): steps applied when they continue its value, a gap
 * starts a REST read (one at a time), steps arriving meanwhile are held and settled with the answer.
 */
function simulate(seed: number, events: number) {
  const rnd = random(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  let clock = 0;
  const truth: Values = { unreadConversations: 0, unreadMessages: 0, mine: 0, unassigned: 0, overdueActivities: 0, activitiesDueToday: 0, dealsWithoutActivity: 0 };
  let stored: Counters | undefined;
  const nodes: CountersChange[][] = [[], []];
  const reads: Counters[] = []; // flushes' reads not yet applied to the chain
  let answer: Counters | null = null; // the client's REST read on its way (its value is fixed when the server reads)
  let reading = false;
  let held: CountersChange[] = [];
  let client: Counters | undefined;
  let gaps = 0;
  let lost = 0;
  let restReads = 0;
  let awayPushes = 0;

  const read = (): Counters => ({ version: String(++clock).padStart(32, '0'), ...truth });
  const advance = (fresh: Counters): Counters => {
    if (stored && stored.version >= fresh.version) return stored;
    const change: CountersChange = {
      version: fresh.version,
      from: stored?.version ?? null,
      changes: Object.fromEntries(fields.map((f) => [f, fresh[f] - (stored?.[f] ?? 0)])) as CountersChange['changes'],
    };
    stored = fresh;
    nodes[pick(2)].push(change);
    return fresh;
  };
  const startRead = () => { reading = true; restReads++; answer = null; };
  const serveRead = () => { if (reading && answer === null) answer = advance(read()); };
  const answerArrives = () => {
    if (!reading || answer === null) return;
    const settled = settleRead(client, answer, held);
    client = settled.value;
    held = [];
    reading = false;
    answer = null;
    if (settled.gap) startRead();
  };
  const deliver = (change: CountersChange) => {
    if (reading) { held.push(change); return; }
    const next = applyCountersChange(client, change);
    if (next === 'gap') { gaps++; startRead(); } else if (next) client = next;
  };

  startRead(); // the page's first read
  for (let i = 0; i < events; i++) {
    const r = rnd();
    if (r < 0.35) {
      const f = fields[pick(fields.length)];
      truth[f] = Math.max(0, truth[f] + pick(5) - 2);
    } else if (r < 0.5) {
      reads.push(read()); // a flush's query
    } else if (r < 0.62 && reads.length > 0) {
      const flushed = reads.splice(pick(reads.length), 1)[0]; // flushes on two nodes finish in any order
      const redis = rnd();
      if (redis < 0.02) {
        // Redis away: whole values go out, the chain is not moved.
        nodes[pick(2)].push({ version: flushed.version!, from: null, changes: values(flushed) as CountersChange['changes'] });
        awayPushes++;
      } else if (redis < 0.03) {
        stored = undefined; // Redis restarted empty: the next step starts from nothing
        advance(flushed);
      } else {
        advance(flushed);
      }
    } else if (r < 0.85) {
      const change = nodes[pick(2)].shift();
      if (change && rnd() < 0.03) lost++;
      else if (change) deliver(change);
    } else if (r < 0.92) {
      serveRead();
    } else if (r < 0.97) {
      answerArrives();
    } else {
      advance(read()); // another tab's read
    }
  }
  // Quiet: the last change is flushed, everything on its way arrives.
  for (const pending of reads.splice(0)) advance(pending);
  advance(read());
  for (let round = 0; round < 1000 && (nodes.some((n) => n.length > 0) || reading); round++) {
    for (const node of nodes) { const change = node.shift(); if (change) deliver(change); }
    serveRead();
    answerArrives();
  }
  return { client, stored, truth, gaps, lost, restReads, awayPushes, settled: !reading && nodes.every((n) => n.length === 0) };
}

describe('counters followed by steps (countersChanged) and REST reads', () => {
  it('a client applying 10,000 random events, with lost steps and reordering, ends equal to what REST returns', () => {
    for (const seed of [1, 7, 42, 2024, 99991]) {
      const { client, stored, truth, gaps, lost, restReads, awayPushes, settled } = simulate(seed, 10_000);
      expect(settled).toBe(true);
      expect(values(client!)).toEqual(truth);
      expect(client?.version).toBe(stored?.version);
      expect(lost).toBeGreaterThan(0);
      expect(awayPushes).toBeGreaterThan(0);
      expect(gaps).toBeGreaterThan(0);
      expect(restReads).toBeLessThan(gaps + 10); // a read settles the steps that arrive meanwhile, it does not chase them
    }
  });

  it('a step that continues the cached version is added; whole values (no from) replace; older steps are ignored', () => {
    const v = (n: number) => String(n).padStart(32, '0');
    const none = { unreadConversations: 0, unreadMessages: 0, mine: 0, unassigned: 0, overdueActivities: 0, activitiesDueToday: 0, dealsWithoutActivity: 0 };
    const at2 = applyCountersChange({ version: v(1), ...none, mine: 2 }, { version: v(2), from: v(1), changes: { ...none, mine: -1, unassigned: 3 } });
    expect(at2).toEqual({ version: v(2), ...none, mine: 1, unassigned: 3 });
    expect(applyCountersChange(at2 as Counters, { version: v(5), from: null, changes: { ...none, unreadMessages: 9 } })).toEqual({ version: v(5), ...none, unreadMessages: 9 });
    expect(applyCountersChange(at2 as Counters, { version: v(2), from: null, changes: none })).toBeNull();
    expect(applyCountersChange(at2 as Counters, { version: v(4), from: v(3), changes: none })).toBe('gap');
    expect(applyCountersChange(undefined, { version: v(4), from: v(3), changes: none })).toBe('gap');
    // An answer older than the cache keeps the cache; held steps continue whichever is newer, in version order.
    expect(settleRead({ version: v(4), ...none }, { version: v(3), ...none, mine: 1 }, []).value).toEqual({ version: v(4), ...none });
    const steps = [{ version: v(6), from: v(5), changes: { ...none, mine: 1 } }, { version: v(5), from: v(4), changes: { ...none, mine: 1 } }];
    expect(settleRead({ version: v(3), ...none }, { version: v(4), ...none }, steps)).toEqual({ value: { version: v(4 + 2), ...none, mine: 2 }, gap: false });
    expect(settleRead(undefined, { version: v(4), ...none }, [steps[0]]).gap).toBe(true);
  });
});

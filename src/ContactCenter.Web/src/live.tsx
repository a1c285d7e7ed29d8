import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { body, client as apiClient } from './api/client';
import { getToken } from './lib/api';
import { settleRead, takeHeldSteps } from './lib/countersChain';
import { feedCache } from './lib/hubCache';
import { keys } from './lib/queryClient';
import { Realtime, type HubEvents } from './lib/realtime';
import { useMe } from './session';
import type { Counters } from './types';

interface Live { hub: Realtime }
const LiveContext = createContext<Live | null>(null);

/** The hub connection for the signed-in part of the app; its events feed the query cache (lib/hubCache.ts). */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [hub] = useState(() => new Realtime(getToken));
  const client = useQueryClient();
  const me = useMe().id;

  useEffect(() => {
    hub.start();
    (window as unknown as { __cc: unknown }).__cc = { hub };
    // A dropped link may be the server closing a revoked token's connections: a 401 here ends the session.
    const off = hub.onLinkLost(() => { apiClient.GET('/api/auth/me').catch(() => undefined); });
    return () => { off(); void hub.stop(); };
  }, [hub]);

  useEffect(() => feedCache(hub, client, me), [hub, client, me]);

  return <LiveContext.Provider value={{ hub }}>{children}</LiveContext.Provider>;
}

/** A conversation's details (contact, lead or deal, state), kept live by `conversationUpdated`; none for `null`. */
export function useConversation(id: string | null) {
  const { hub } = useLive();
  return useQuery({
    queryKey: keys.conversation(id ?? ''),
    enabled: id != null,
    queryFn: async () => { await hub.whenJoined(); return body(apiClient.GET('/api/conversations/{id}', { params: { path: { id: Number(id) } } })); },
  });
}

/**
 * The caller's counters (unread conversations, overdue and today's activities), kept live by `countersChanged` steps.
 * Steps that arrive while the read is on its way are held and settled with its answer (lib/countersChain.ts); a
 * cancelled read leaves them for the read that replaces it, a failed one adds those that continue what is shown.
 */
export function useCounters(): Counters | null {
  const { hub } = useLive();
  const client = useQueryClient();
  const me = useMe().id;
  return useQuery({
    queryKey: keys.counters,
    queryFn: async ({ signal }) => {
      await hub.whenJoined();
      let answer: Counters;
      try {
        answer = await body(apiClient.GET('/api/counters', { signal }));
      } catch (e) {
        // Failed (not replaced): the held steps still apply to what is on screen when they continue it.
        const cached = client.getQueryData<Counters>(keys.counters);
        const { steps } = signal.aborted ? { steps: [] } : takeHeldSteps(client, me);
        if (cached && steps.length > 0) {
          const { value, gap } = settleRead(cached, cached, steps);
          client.setQueryData(keys.counters, value);
          if (gap) setTimeout(() => void client.invalidateQueries({ queryKey: keys.counters }), 5000);
        }
        throw e;
      }
      if (signal.aborted) throw new DOMException('The read was replaced', 'AbortError');
      const { steps, overflow } = takeHeldSteps(client, me);
      const { value, gap } = settleRead(client.getQueryData<Counters>(keys.counters), answer, steps);
      if (gap || overflow) setTimeout(() => void client.invalidateQueries({ queryKey: keys.counters }), 0);
      return value;
    },
  }).data ?? null;
}

export function useLive(): Live {
  const value = useContext(LiveContext);
  if (!value) throw new Error('LiveProvider is missing');
  return value;
}

/** Subscribes to a hub event for the component's lifetime; the latest handler is always called. */
export function useHubEvent<E extends keyof HubEvents>(name: E, handler: (payload: HubEvents[E]) => void) {
  const { hub } = useLive();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => hub.on(name, (p) => ref.current(p)), [hub, name]);
}

/** The hub's `whenJoined`, stable for the tab's lifetime (for `useApiGet`'s `before`). */
export function useJoined(): () => Promise<void> {
  const { hub } = useLive();
  return useCallback(() => hub.whenJoined(), [hub]);
}

export function useLinkStatus() {
  const { hub } = useLive();
  const subscribe = useCallback((cb: () => void) => hub.onStatus(cb), [hub]);
  return useSyncExternalStore(subscribe, () => hub.status);
}

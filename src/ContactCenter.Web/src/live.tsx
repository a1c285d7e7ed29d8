import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { api, getToken } from './lib/api';
import { Realtime, type HubEvents } from './lib/realtime';
import type { Counters } from './types';

interface Live { hub: Realtime; counters: Counters | null }
const LiveContext = createContext<Live | null>(null);

/** The hub connection and the caller's counters, for the signed-in part of the app. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [hub] = useState(() => new Realtime(getToken));
  const [counters, setCounters] = useState<Counters | null>(null);

  useEffect(() => {
    hub.start();
    (window as unknown as { __cc: unknown }).__cc = { hub };
    // A dropped link may be the server closing a revoked token's connections: a 401 here ends the session.
    const off = hub.onLinkLost(() => { api('/api/auth/me').catch(() => undefined); });
    return () => { off(); void hub.stop(); };
  }, [hub]);

  useEffect(() => {
    const reload = () => hub.whenJoined().then(() => api<Counters>('/api/counters')).then(setCounters).catch(() => undefined);
    reload();
    const offs = [hub.on('countersChanged', setCounters), hub.on('resync', reload)];
    return () => offs.forEach((off) => off());
  }, [hub]);

  return <LiveContext.Provider value={{ hub, counters }}>{children}</LiveContext.Provider>;
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

/** The hub's `whenJoined`, stable for the tab's lifetime (for `useResource`'s `before`). */
export function useJoined(): () => Promise<void> {
  const { hub } = useLive();
  return useCallback(() => hub.whenJoined(), [hub]);
}

export function useLinkStatus() {
  const { hub } = useLive();
  const subscribe = useCallback((cb: () => void) => hub.onStatus(cb), [hub]);
  return useSyncExternalStore(subscribe, () => hub.status);
}

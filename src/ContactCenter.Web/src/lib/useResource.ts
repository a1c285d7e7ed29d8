import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './api';

export interface Resource<T> {
  data: T | null; loading: boolean; error: string | null;
  /** The server answered 404/405/501: the route (or the thing) is not there. */
  notAvailable: boolean;
  reload: () => Promise<void>;
  set: (update: (old: T | null) => T | null) => void;
}

/**
 * GETs a URL (null = nothing to load) and keeps the answer; a 404 is reported as "not available", not as an error.
 * `before` is awaited before each read (a live view passes the hub's `whenJoined`).
 */
export function useResource<T>(url: string | null, before?: () => Promise<void>): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(!!url);
  const [error, setError] = useState<string | null>(null);
  const [notAvailable, setNotAvailable] = useState(false);
  const gen = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++gen.current;
    if (!url) { setData(null); setLoading(false); return; }
    setLoading(true);
    try {
      if (before) await before();
      const value = await api<T>(url);
      if (mine !== gen.current) return;
      setData(value); setError(null); setNotAvailable(false);
    } catch (e) {
      if (mine !== gen.current) return;
      if (e instanceof ApiError && e.notAvailable) { setNotAvailable(true); setError(null); setData(null); }
      else setError((e as Error).message);
    } finally {
      if (mine === gen.current) setLoading(false);
    }
  }, [url, before]);

  useEffect(() => { void reload(); }, [reload]);
  return { data, loading, error, notAvailable, reload, set: setData };
}

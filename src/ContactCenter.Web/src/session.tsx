import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, login as apiLogin, setAuth } from './lib/api';
import type { Session, User } from './types';

// The session lives in localStorage so that it survives a reload. When the token expires (or the server answers
// 401) the session is dropped but the user's email and every draft stay, and the app returns where it was.
const SessionKey = 'cc.session';
const LastEmailKey = 'cc.lastEmail';

interface SessionState {
  session: Session | null;
  expired: boolean;
  lastEmail: string;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => void;
}

const SessionContext = createContext<SessionState | null>(null);

function load(): Session | null {
  try {
    const s = JSON.parse(localStorage.getItem(SessionKey) ?? 'null') as Session | null;
    return s && new Date(s.expiresAt).getTime() > Date.now() ? s : null;
  } catch { return null; }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(load);
  const [expired, setExpired] = useState(() => !load() && localStorage.getItem(SessionKey) !== null);

  const expire = useCallback(() => {
    localStorage.removeItem(SessionKey);
    setSession(null);
    setExpired(true);
  }, []);

  // Set synchronously so children's first requests already carry the token.
  setAuth(session?.accessToken ?? null, session ? expire : null);

  useEffect(() => {
    if (!session) return;
    const left = new Date(session.expiresAt).getTime() - Date.now();
    const timer = window.setTimeout(expire, Math.max(0, Math.min(left, 2 ** 31 - 1)));
    // Checks the stored token once (a server with a new key answers 401).
    api<User>('/api/auth/me').catch(() => { /* 401 expires the session through setAuth */ });
    return () => window.clearTimeout(timer);
  }, [session, expire]);

  const signIn = useCallback(async (email: string, password: string) => {
    const s = await apiLogin(email, password);
    localStorage.setItem(SessionKey, JSON.stringify(s));
    localStorage.setItem(LastEmailKey, email);
    setExpired(false);
    setSession(s);
  }, []);

  const signOut = useCallback(() => {
    localStorage.removeItem(SessionKey);
    setExpired(false);
    setSession(null);
  }, []);

  const value = useMemo(() => ({
    session, expired, signIn, signOut, lastEmail: localStorage.getItem(LastEmailKey) ?? '',
  }), [session, expired, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('SessionProvider is missing');
  return value;
}

export function useMe(): User {
  const { session } = useSession();
  if (!session) throw new ApiError(401, 'not signed in');
  return session.user;
}

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { client } from './api/client';
import { ApiError, login as apiLogin, setAuth } from './lib/api';
import type { Session, User } from './types';

// The session lives in localStorage so that it survives a reload. When the token expires (or the server answers
// 401) the session is dropped but the user's email and every draft stay, and the app returns where it was.
const SessionKey = 'cc.session';
const LastEmailKey = 'cc.lastEmail';

/**
 * Why the sign-in page is shown, for its message: the token's time ran out (`expired`), the server refused a token
 * that had time left (`ended`: revoked by a password change, "sign out everywhere" or a deactivation), or the user
 * changed their password / signed out everywhere in this tab.
 */
export type SignInNotice = 'expired' | 'ended' | 'passwordChanged' | 'signedOutEverywhere';

interface SessionState {
  session: Session | null;
  notice: SignInNotice | null;
  lastEmail: string;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: (notice?: SignInNotice) => void;
  /** Swaps in a token the server issued in place of the current one (same user). */
  replaceToken: (accessToken: string, expiresAt: string) => void;
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
  const [notice, setNotice] = useState<SignInNotice | null>(() => (!load() && localStorage.getItem(SessionKey) !== null ? 'expired' : null));

  const expire = useCallback(() => {
    const raw = localStorage.getItem(SessionKey);
    // Several requests in flight may each see the 401: the first one decides the message.
    if (raw === null) { setSession(null); return; }
    localStorage.removeItem(SessionKey);
    let left = 0;
    try { left = new Date((JSON.parse(raw) as Session).expiresAt).getTime() - Date.now(); } catch { /* unreadable: expired */ }
    setSession(null);
    setNotice(left > 0 ? 'ended' : 'expired');
  }, []);

  // Set synchronously so children's first requests already carry the token.
  setAuth(session?.accessToken ?? null, session ? expire : null);

  useEffect(() => {
    if (!session) return;
    const left = new Date(session.expiresAt).getTime() - Date.now();
    const timer = window.setTimeout(expire, Math.max(0, Math.min(left, 2 ** 31 - 1)));
    // Checks the stored token once (a server with a new key answers 401).
    client.GET('/api/auth/me').catch(() => { /* 401 expires the session through setAuth */ });
    return () => window.clearTimeout(timer);
  }, [session, expire]);

  const signIn = useCallback(async (email: string, password: string) => {
    const s = await apiLogin(email, password);
    localStorage.setItem(SessionKey, JSON.stringify(s));
    localStorage.setItem(LastEmailKey, email);
    setNotice(null);
    setSession(s);
  }, []);

  const signOut = useCallback((why?: SignInNotice) => {
    localStorage.removeItem(SessionKey);
    setNotice(why ?? null);
    setSession(null);
  }, []);

  const replaceToken = useCallback((accessToken: string, expiresAt: string) => {
    setSession((old) => {
      if (!old) return old;
      const next = { ...old, accessToken, expiresAt };
      localStorage.setItem(SessionKey, JSON.stringify(next));
      return next;
    });
  }, []);

  const value = useMemo(() => ({
    session, notice, signIn, signOut, replaceToken, lastEmail: localStorage.getItem(LastEmailKey) ?? '',
  }), [session, notice, signIn, signOut, replaceToken]);
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

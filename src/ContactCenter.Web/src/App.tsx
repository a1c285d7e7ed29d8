import { useEffect, useState } from 'react';
import { BrowserRouter } from 'react-router';
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { makeQueryClient } from './lib/queryClient';
import { I18nProvider } from './i18n';
import { LiveProvider } from './live';
import { OfflineNotice } from './components/OfflineNotice';
import { LoginPage } from './pages/LoginPage';
import { Shell } from './pages/Shell';
import { SessionProvider, useSession } from './session';

export function App() {
  const [client] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={client}>
      {/* The server answers every app path with index.html, so a deep link or a reload lands on its route.
          No transitions: a navigation renders at once, as the hand-written router did, so what is on screen matches
          the URL before the next key is handled (j then k quickly would otherwise act on the previous conversation). */}
      <BrowserRouter useTransitions={false}>
        <I18nProvider>
          <OfflineNotice />
          <SessionProvider>
            <Gate />
          </SessionProvider>
        </I18nProvider>
      </BrowserRouter>
    </QueryClientProvider>
  );
}

function Gate() {
  const { session } = useSession();
  const client = useQueryClient();
  // Signed out: nothing read for the last user stays in the cache for the next one.
  useEffect(() => { if (!session) client.clear(); }, [session, client]);
  if (!session) return <LoginPage />;
  // Keyed by user so that a different sign-in starts from a clean slate.
  return <LiveProvider key={String(session.user.id)}><Shell /></LiveProvider>;
}

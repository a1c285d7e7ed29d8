// ContactCenter's service worker: keeps the app shell (index.html and the built assets) so that the app opens
// without the network and says it is offline, instead of the browser's error page. API, hub, webhook and widget
// traffic is never cached or answered from a cache: it always goes to the server (and fails plainly offline).
const SHELL = 'cc-shell-v1';
const NEVER = ['/api/', '/hubs/', '/health/', '/webhooks/', '/widget'];

async function cacheShell() {
  const cache = await caches.open(SHELL);
  const response = await fetch('/index.html', { cache: 'no-cache' });
  if (!response.ok) return;
  const html = await response.clone().text();
  await cache.put('/index.html', response);
  // The hashed scripts and styles the page loads, plus the manifest and icons.
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll([...new Set(assets), '/manifest.webmanifest', '/icons/icon-192.png']);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== SHELL) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (NEVER.some((p) => url.pathname.startsWith(p))) return;

  if (request.mode === 'navigate') {
    // The page: fresh from the network when there is one (and kept), the kept copy when there is none.
    event.respondWith((async () => {
      try {
        const response = await fetch(request);
        if (response.ok && (response.headers.get('content-type') ?? '').includes('text/html')) {
          const cache = await caches.open(SHELL);
          await cache.put('/index.html', response.clone());
        }
        return response;
      } catch {
        const cached = await caches.match('/index.html');
        return cached ?? Response.error();
      }
    })());
    return;
  }

  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/') || url.pathname === '/manifest.webmanifest') {
    // Hashed names never change content: the kept copy first, then the network (and keep it).
    event.respondWith((async () => {
      const cached = await caches.match(request);
      if (cached) return cached;
      const response = await fetch(request);
      if (response.ok) (await caches.open(SHELL)).put(request, response.clone());
      return response;
    })());
  }
});

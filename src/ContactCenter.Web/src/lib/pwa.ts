/**
 * Registers the service worker (public/sw.js) of the installed app. Not in `npm run dev`: Vite serves unbundled
 * modules there, which the worker's shell cache does not know.
 */
export function registerServiceWorker() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => { /* the app works without it, only not offline */ });
  });
}

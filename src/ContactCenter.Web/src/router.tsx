import { useEffect, useState } from 'react';

// A tiny history router: the API's fallback serves index.html for every app path.
const listeners = new Set<() => void>();
export function navigate(path: string, replace = false) {
  if (path === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
  listeners.forEach((l) => l());
}
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const l = () => setPath(location.pathname);
    listeners.add(l);
    return () => { listeners.delete(l); };
  }, []);
  return path;
}

export function Link({ to, children, className, ...rest }: { to: string; children: React.ReactNode; className?: string } & React.AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a href={to} className={className} {...rest}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}>
      {children}
    </a>
  );
}

/** The query string (`?q=...`), re-read on every navigation (usePath alone misses /search?q=a -> /search?q=b). */
export function useSearch(): string {
  const [search, setSearch] = useState(location.search);
  useEffect(() => {
    const l = () => setSearch(location.search);
    listeners.add(l);
    return () => { listeners.delete(l); };
  }, []);
  return search;
}

import { useState } from 'react';
import { request } from '../../lib/api';

/** Query parameters of a list view, without empty values; `field.<key>` entries filter by custom fields. */
export function listParams(filters: Record<string, string>, sort: string): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== '') q.set(k, v);
  q.set('sort', sort);
  return q;
}

/** Downloads exactly the filtered rows as CSV (every page; the server streams them). */
export async function downloadCsv(base: string, params: URLSearchParams, fileName: string) {
  const q = new URLSearchParams(params);
  q.set('format', 'csv');
  const response = await request(`${base}?${q.toString()}`);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The visible columns of a list, kept in localStorage per list. */
export function useColumns(storageKey: string, defaults: string[]) {
  const [columns, setColumns] = useState<string[]>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null');
      return Array.isArray(saved) && saved.every((c) => typeof c === 'string') ? saved : defaults;
    } catch { return defaults; }
  });
  const toggle = (key: string) => setColumns((old) => {
    const next = old.includes(key) ? old.filter((c) => c !== key) : [...old, key];
    localStorage.setItem(storageKey, JSON.stringify(next));
    return next;
  });
  return { columns, toggle };
}

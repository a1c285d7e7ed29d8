// The label catalogue, read once and shared by the chips' pickers, the list's filter and bulk bar, and the admin tab.
import { useEffect, useState } from 'react';
import { body, client } from '../../api/client';
import type { Label } from '../../types';

let cache: Label[] | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<(labels: Label[]) => void>();

/** Re-reads the catalogue (after an admin change) and tells every component using it. */
export async function refreshLabels(): Promise<void> {
  loading = body(client.GET('/api/labels')).then((labels) => {
    cache = labels;
    listeners.forEach((l) => l(labels));
  }).catch(() => undefined).finally(() => { loading = null; });
  return loading;
}

export function useLabels(): Label[] {
  const [labels, setLabels] = useState<Label[]>(cache ?? []);
  useEffect(() => {
    listeners.add(setLabels);
    if (cache) setLabels(cache);
    else if (!loading) void refreshLabels();
    return () => { listeners.delete(setLabels); };
  }, []);
  return labels;
}

/** Black or white text, whichever reads better on the colour (WCAG relative luminance; both give at least 4.5:1). */
export function textOn(color: string): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color)?.[1];
  if (!hex) return '#000';
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  return luminance > 0.179 ? '#000' : '#fff';
}

import { useLayoutEffect, useRef } from 'react';

/**
 * For a `.stack-table` (one card per row on phones, styles.css): labels every body cell with its column's header
 * (`data-label`, shown above the value) after each render, so a wide report reads on a 390 px screen instead of
 * scrolling sideways inside its panel with its last columns out of sight.
 */
export function useCellLabels<T extends HTMLTableElement>() {
  const ref = useRef<T>(null);
  useLayoutEffect(() => {
    const table = ref.current;
    if (!table) return;
    const heads = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent?.trim() ?? '');
    table.querySelectorAll('tbody tr').forEach((tr) => {
      Array.from(tr.children).forEach((cell, i) => { (cell as HTMLElement).dataset.label = heads[i] ?? ''; });
    });
  });
  return ref;
}

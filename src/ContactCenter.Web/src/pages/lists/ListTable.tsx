import { defaultRangeExtractor, measureElement, useVirtualizer } from '@tanstack/react-virtual';
import { Fragment, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n';
import type { Id } from '../../types';
import type { useSelection } from './selection';

export interface ListColumn { key: string; label: string }

/**
 * The table of a list view (deals, leads): a tick box per row, headers that sort when the column is `sortable`
 * (`-key` descending), one cell per shown column (labelled for the phone's card layout), "load more" below (also
 * when the end scrolls into view). Only the rows near the viewport of the page's scroller (`.content`) are rendered
 * (@tanstack/react-virtual, measured, so a phone's taller cards fit); spacer rows keep the scroll height, and each row
 * says its place (`aria-rowindex`; the table's `aria-rowcount` is the total once every page is loaded, -1 "unknown"
 * before). The row holding the keyboard focus stays rendered while it is scrolled away.
 */
export function ListTable<T extends { id: Id; title: string }>({ kind, shown, sortable, sort, onSort, items, selection, cell, empty, hasMore, loading, onMore }: {
  kind: 'deal' | 'lead'; shown: ListColumn[]; sortable: string[]; sort: string; onSort: (sort: string) => void; items: T[];
  selection: ReturnType<typeof useSelection<T>>; cell: (row: T, key: string) => ReactNode; empty: string;
  hasMore: boolean; loading: boolean; onMore: () => void;
}) {
  const { t } = useI18n();
  const toggle = (key: string) => onSort(sort === `-${key}` ? key : `-${key}`);
  const body = useRef<HTMLTableSectionElement>(null);
  const end = useRef<HTMLDivElement>(null);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [margin, setMargin] = useState(0);
  // Where the rows start inside the scroller (the filters above them wrap differently on each screen).
  useLayoutEffect(() => {
    const el = body.current?.closest<HTMLElement>('.content') ?? null;
    if (el !== scroller) setScroller(el);
    if (el && body.current) {
      const top = Math.round(body.current.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop);
      if (top !== margin) setMargin(top);
    }
  });
  // Rows not measured yet are guessed at the running average of those that were: a phone's cards are several times a
  // desktop row, and a wrong guess moves the end of the list (and what loads the next page) as rows get measured.
  const average = useRef(44);
  const focused = useRef<number | null>(null);
  const virtualizer = useVirtualizer({
    count: items.length, getScrollElement: () => scroller, estimateSize: () => average.current, overscan: 12, scrollMargin: margin,
    getItemKey: (i) => String(items[i].id), initialRect: { width: 1024, height: 800 },
    // A phone's cards are apart by a margin the border box leaves out: counted, or each card that leaves the top would
    // shift the rest by it.
    measureElement: (el, entry, instance) => {
      const size = measureElement(el, entry, instance) + (parseFloat(getComputedStyle(el).marginBottom) || 0);
      if (size > 0) average.current += (size - average.current) / 8;
      return size;
    },
    // The row holding the keyboard focus stays rendered when it scrolls away, so focus never falls back to the page.
    rangeExtractor: (range) => {
      const shown = defaultRangeExtractor(range);
      const f = focused.current;
      return f === null || f >= range.count || shown.includes(f) ? shown : [...shown, f].sort((a, b) => a - b);
    },
  });
  const rows = virtualizer.getVirtualItems();
  const before = rows.length ? rows[0].start - margin : 0;
  const after = rows.length ? virtualizer.getTotalSize() - (rows[rows.length - 1].end - margin) : 0;
  // The focused row kept far from the others leaves a gap between them, held by a spacer of its own.
  const gapBefore = (i: number) => (i > 0 ? rows[i].start - rows[i - 1].end : 0);

  const more = useRef(onMore);
  more.current = onMore;
  useLayoutEffect(() => {
    const el = end.current;
    if (!el || !hasMore || loading) return;
    const observer = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) more.current(); },
      { root: scroller, rootMargin: '300px' });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasMore, loading, scroller, items.length]);

  const spacer = (height: number, name: string) => (height > 0
    ? <tr key={`spacer-${name}`} aria-hidden="true" className="list-spacer" data-spacer={name} style={{ height }}><td colSpan={shown.length + 1} /></tr>
    : null);
  return (
    <>
      <table className="list-table" aria-rowcount={hasMore ? -1 : items.length + 1} data-loaded={items.length}>
        <thead>
          <tr aria-rowindex={1}>
            {selection.headCell}
            {shown.map((c) => (
              <th key={c.key} aria-sort={sort === c.key ? 'ascending' : sort === `-${c.key}` ? 'descending' : undefined}>
                {sortable.includes(c.key)
                  ? <button type="button" className="sort" onClick={() => toggle(c.key)}>{c.label}{sort === c.key ? ' ▲' : sort === `-${c.key}` ? ' ▼' : ''}</button>
                  : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={body}
          onFocus={(e) => { const i = (e.target as HTMLElement).closest('tr')?.dataset.index; focused.current = i === undefined ? null : Number(i); }}
          onBlur={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) focused.current = null; }}>
          {spacer(before, 'before')}
          {rows.map((v, i) => {
            const row = items[v.index];
            // Keyed by the row, so a row that stays on screen keeps its element (and a focused box its focus) as others come and go.
            return (
              <Fragment key={v.key}>
                {gapBefore(i) > 0 && spacer(gapBefore(i), `gap-${v.index}`)}
                <tr data-index={v.index} ref={virtualizer.measureElement} aria-rowindex={v.index + 2} {...{ [`data-${kind}-id`]: String(row.id) }}>
                  <td>{selection.rowBox(row, row.title)}</td>
                  {shown.map((c) => <td key={c.key} data-label={c.label} data-col={c.key}>{cell(row, c.key)}</td>)}
                </tr>
              </Fragment>
            );
          })}
          {spacer(after, 'after')}
        </tbody>
      </table>
      <div ref={end} />
      {!loading && items.length === 0 && <p className="muted">{empty}</p>}
      {hasMore && <button type="button" onClick={onMore} disabled={loading}>{t('loadMore')}</button>}
    </>
  );
}

import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import type { CursorPages } from '../../api/useCursorPages';
import type { Id } from '../../types';

/** The most rows one bulk action takes (the bulk routes' limit). */
export const BulkMax = 500;

/**
 * The ticked rows of a list page: the header's "select all on page" cell (kept on a phone, see lists.css) and one box per
 * row; `selectMatching` ticks every row that matches the filters, up to {@link BulkMax}, as the pages load.
 */
export function useSelection<T extends { id: Id }>(items: T[], query = '') {
  const { t } = useI18n();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // "Select all that match": every row loaded (now and as the following pages land) is ticked, up to the bulk limit.
  const [matching, setMatching] = useState(false);
  // Another filter or sort is another list: what was ticked in the old one goes (a new order would drop rows from
  // "all that match" while the page still said so).
  const [shownFor, setShownFor] = useState(query);
  if (shownFor !== query) {
    setShownFor(query);
    setMatching(false);
    setSelected(new Set());
  }
  useEffect(() => {
    if (matching) setSelected(new Set(items.slice(0, BulkMax).map((i) => String(i.id))));
  }, [matching, items]);
  const chosen = items.filter((i) => selected.has(String(i.id)));
  const clear = () => { setMatching(false); setSelected(new Set()); };
  const headCell = (
    <th className="select-cell" data-label={t('selectAll')}>
      <input type="checkbox" aria-label={t('selectAll')} checked={items.length > 0 && chosen.length === items.length}
        onChange={(e) => { setMatching(false); setSelected(e.target.checked ? new Set(items.map((i) => String(i.id))) : new Set()); }} />
    </th>
  );
  const rowBox = (item: T, name: string) => (
    <input type="checkbox" aria-label={t('selectRow', { name })} checked={selected.has(String(item.id))}
      onChange={(e) => {
        if (!e.target.checked) setMatching(false);
        setSelected((s) => { const n = new Set(s); if (e.target.checked) n.add(String(item.id)); else n.delete(String(item.id)); return n; });
      }} />
  );
  return { chosen, clear, headCell, rowBox, matching, selectMatching: () => setMatching(true) };
}

export type Selection<T extends { id: Id }> = ReturnType<typeof useSelection<T>>;

/**
 * Under the bulk bar: once every row shown is ticked while more match the filters, offers to tick them all (the rest of
 * the pages are loaded, up to {@link BulkMax}); then says how many are ticked, or that the bulk limit cut the list.
 */
export function SelectMatching<T extends { id: Id }>({ selection, list }: { selection: Selection<T>; list: CursorPages<T> }) {
  const { t } = useI18n();
  const count = selection.chosen.length;
  if (count === 0) return null;
  if (selection.matching) {
    const text = list.loading ? t('selectingMatching')
      : count >= BulkMax && list.hasMore ? t('bulkLimitReached', { max: BulkMax })
      : t('allMatchingSelected', { count });
    return <p className="select-matching" role="status" data-testid="select-matching">{text}</p>;
  }
  if (count > BulkMax) {
    return <p className="select-matching error" role="status" data-testid="select-matching">{t('bulkOverLimit', { count, max: BulkMax })}</p>;
  }
  if (count < list.items.length || !list.hasMore) return null;
  return (
    <p className="select-matching" data-testid="select-matching">
      {t('allLoadedSelected', { count })}{' '}
      {/* A page that fails to load shows as the list's own error (the query's). */}
      <button type="button" className="link" onClick={() => { selection.selectMatching(); list.loadAll(BulkMax).catch(() => undefined); }}>
        {t('selectAllMatching', { max: BulkMax })}
      </button>
    </p>
  );
}

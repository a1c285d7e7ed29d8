import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';
import type { Id } from '../../types';
import type { useSelection } from './selection';

export interface ListColumn { key: string; label: string }

/**
 * The table of a list view (deals, leads): a tick box per row, headers that sort when the column is `sortable`
 * (`-key` descending), one cell per shown column (labelled for the phone's card layout), "load more" below.
 */
export function ListTable<T extends { id: Id; title: string }>({ kind, shown, sortable, sort, onSort, items, selection, cell, empty, next, loading, onMore }: {
  kind: 'deal' | 'lead'; shown: ListColumn[]; sortable: string[]; sort: string; onSort: (sort: string) => void; items: T[];
  selection: ReturnType<typeof useSelection<T>>; cell: (row: T, key: string) => ReactNode; empty: string;
  next: string | null; loading: boolean; onMore: () => void;
}) {
  const { t } = useI18n();
  const toggle = (key: string) => onSort(sort === `-${key}` ? key : `-${key}`);
  return (
    <>
      <table className="list-table">
        <thead>
          <tr>
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
        <tbody>
          {items.map((row) => (
            <tr key={String(row.id)} {...{ [`data-${kind}-id`]: String(row.id) }}>
              <td>{selection.rowBox(row, row.title)}</td>
              {shown.map((c) => <td key={c.key} data-label={c.label} data-col={c.key}>{cell(row, c.key)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && items.length === 0 && <p className="muted">{empty}</p>}
      {next && <button type="button" onClick={onMore} disabled={loading}>{t('loadMore')}</button>}
    </>
  );
}

import { useState } from 'react';
import { useI18n } from '../../i18n';
import type { Id } from '../../types';

/** The ticked rows of a list page: the header's "select all on page" cell (kept on a phone, see lists.css) and one box per row. */
export function useSelection<T extends { id: Id }>(items: T[]) {
  const { t } = useI18n();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const chosen = items.filter((i) => selected.has(String(i.id)));
  const clear = () => setSelected(new Set());
  const headCell = (
    <th className="select-cell" data-label={t('selectAll')}>
      <input type="checkbox" aria-label={t('selectAll')} checked={items.length > 0 && chosen.length === items.length}
        onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => String(i.id))) : new Set())} />
    </th>
  );
  const rowBox = (item: T, name: string) => (
    <input type="checkbox" aria-label={t('selectRow', { name })} checked={selected.has(String(item.id))}
      onChange={(e) => setSelected((s) => { const n = new Set(s); if (e.target.checked) n.add(String(item.id)); else n.delete(String(item.id)); return n; })} />
  );
  return { chosen, clear, headCell, rowBox };
}

import { sameId, type ConversationSummary, type Id } from '../types';

/**
 * The list-level targets of the `j`/`k` shortcuts (lib/shortcuts.ts): hidden buttons that open the next or previous
 * conversation of the list as it is filtered and sorted on screen (the first one when none is open).
 */
export function ListShortcuts({ items, selectedId, onOpen }: { items: ConversationSummary[]; selectedId: Id | null; onOpen: (id: Id) => void }) {
  const i = items.findIndex((c) => sameId(c.id, selectedId));
  const go = (step: number) => {
    const next = i < 0 ? items[0] : items[i + step];
    if (next) onOpen(next.id);
  };
  return (
    <>
      <button type="button" hidden tabIndex={-1} data-shortcut="next" onClick={() => go(1)} />
      <button type="button" hidden tabIndex={-1} data-shortcut="prev" onClick={() => go(-1)} />
    </>
  );
}

import { useEffect } from 'react';

/**
 * The keyboard shortcuts: one registry from keys to names; a name runs by clicking (or focusing, for a field) the
 * element that carries `data-shortcut="<name>"`. Features opt in by putting the attribute on their control, so a
 * shortcut does exactly what the visible button does, with the same checks, and disappears with it.
 */
export const shortcutKeys: { keys: string[]; name: string }[] = [
  { keys: ['j'], name: 'next' },
  { keys: ['k'], name: 'prev' },
  { keys: ['r'], name: 'reply' },
  { keys: ['n'], name: 'note' },
  { keys: ['a'], name: 'assign-me' },
  { keys: ['e'], name: 'resolve' },
  { keys: ['s'], name: 'snooze' },
  { keys: ['l'], name: 'label' },
];

/** Typing in a field (or an editor) never triggers a one-letter shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(type);
}

function visible(el: HTMLElement): boolean {
  return el.getClientRects().length > 0;
}

/** Clicks or focuses the target of a shortcut; a visible target wins over a hidden one. False when there is none. */
export function runShortcut(name: string, root: ParentNode = document): boolean {
  const all = Array.from(root.querySelectorAll<HTMLElement>(`[data-shortcut="${name}"]`))
    .filter((el) => !(el as HTMLButtonElement).disabled);
  const el = all.find(visible) ?? all[0];
  if (!el) return false;
  if (isTyping(el) || el.tagName === 'INPUT') {
    el.focus();
    if (el instanceof HTMLInputElement) el.select();
  } else {
    el.click();
  }
  return true;
}

/** The name a key press stands for, or null (Ctrl/Cmd+K is `search`; `?` is `help`). */
export function shortcutFor(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): string | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') return 'search';
  if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return null;
  if (e.key === '?') return 'help';
  return shortcutKeys.find((s) => s.keys.includes(e.key))?.name ?? null;
}

/**
 * Mounted once (in the shell). While a modal dialog is open only Escape works (the dialog closes itself), so a
 * letter typed at a dialog's button never acts on the page behind it.
 */
export function useShortcuts(onHelp: () => void) {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.repeat) return;
      // Escape in a field leaves it (a dialog closes itself instead), so the letter shortcuts work again.
      if (e.key === 'Escape' && isTyping(e.target) && !document.querySelector('dialog[open]')) {
        (e.target as HTMLElement).blur();
        return;
      }
      const name = shortcutFor(e);
      if (!name) return;
      if (document.querySelector('dialog[open]')) return;
      if (name === 'help') { e.preventDefault(); onHelp(); return; }
      if (runShortcut(name)) e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onHelp]);
}

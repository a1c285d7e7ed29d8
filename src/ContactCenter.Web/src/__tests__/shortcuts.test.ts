// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isTyping, runShortcut, shortcutFor } from '../lib/shortcuts';

const key = (k: string, target: EventTarget | null = document.body, mods: Partial<KeyboardEvent> = {}) =>
  ({ key: k, ctrlKey: false, metaKey: false, altKey: false, target, ...mods }) as KeyboardEvent;

afterEach(() => { document.body.innerHTML = ''; });

describe('keyboard shortcuts', () => {
  it('maps letters to names, ? to help and Ctrl/Cmd+K to search', () => {
    expect(shortcutFor(key('j'))).toBe('next');
    expect(shortcutFor(key('k'))).toBe('prev');
    expect(shortcutFor(key('a'))).toBe('assign-me');
    expect(shortcutFor(key('e'))).toBe('resolve');
    expect(shortcutFor(key('?'))).toBe('help');
    expect(shortcutFor(key('k', document.body, { ctrlKey: true }))).toBe('search');
    expect(shortcutFor(key('K', document.body, { metaKey: true }))).toBe('search');
    expect(shortcutFor(key('j', document.body, { ctrlKey: true }))).toBeNull();
  });

  it('never fires a letter while typing in a field or an editor, but Ctrl+K still works there', () => {
    document.body.innerHTML = '<textarea></textarea><input type="text"><input type="checkbox"><div contenteditable="true"></div><select></select>';
    const [area, text, box, editor, select] = Array.from(document.body.children) as HTMLElement[];
    Object.defineProperty(editor, 'isContentEditable', { value: true });
    for (const field of [area, text, editor, select]) {
      expect(isTyping(field)).toBe(true);
      expect(shortcutFor(key('e', field))).toBeNull();
    }
    expect(isTyping(box)).toBe(false);
    expect(shortcutFor(key('k', area, { ctrlKey: true }))).toBe('search');
  });

  it('clicks a button target and focuses a field target; false when nothing carries the name', () => {
    document.body.innerHTML = '<button data-shortcut="resolve"></button><input data-shortcut="search">';
    const click = vi.fn();
    document.querySelector('button')!.addEventListener('click', click);
    expect(runShortcut('resolve')).toBe(true);
    expect(click).toHaveBeenCalledOnce();
    expect(runShortcut('search')).toBe(true);
    expect(document.activeElement).toBe(document.querySelector('input'));
    expect(runShortcut('snooze')).toBe(false);
  });

  it('skips a disabled target', () => {
    document.body.innerHTML = '<button data-shortcut="reply" disabled></button>';
    expect(runShortcut('reply')).toBe(false);
  });
});

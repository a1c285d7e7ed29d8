import { useEffect, useState, type RefObject } from 'react';
import { useI18n } from '../i18n';
import { body, client, type Schemas } from '../api/client';
import type { Id } from '../types';
import './notify.css';

export type Colleague = Schemas['Colleague'];

/** The `@word` being typed just before the caret, or null. */
export function mentionQuery(text: string, caret: number): string | null {
  const match = /(^|\s)@([\p{L}\p{N}._-]{0,30})$/u.exec(text.slice(0, caret));
  return match ? match[2] : null;
}

/** The colleagues whose `@Name` is still in the note (one removed from the text is not mentioned). */
export function mentionedIds(text: string, picked: Colleague[]): Id[] {
  return [...new Set(picked.filter((c) => text.includes(`@${c.name}`)).map((c) => c.id))];
}

interface Props {
  area: RefObject<HTMLTextAreaElement | null>;
  text: string;
  onText: (value: string) => void;
  onPick: (colleague: Colleague) => void;
}

/** `@` autocomplete of colleagues in the composer's note mode: arrows choose, Enter or Tab inserts, Escape closes. */
export function MentionPicker({ area, text, onText, onPick }: Props) {
  const { t } = useI18n();
  const [q, setQ] = useState<string | null>(null);
  const [found, setFound] = useState<Colleague[]>([]);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const el = area.current;
    setQ(el ? mentionQuery(text, el.selectionStart ?? text.length) : null);
  }, [text, area]);

  useEffect(() => {
    if (q === null) { setFound([]); return; }
    const ctrl = new AbortController();
    const timer = window.setTimeout(() => {
      body(client.GET('/api/colleagues', { params: { query: { q } }, signal: ctrl.signal })).then((list) => { setFound(list); setActive(0); }).catch(() => undefined);
    }, 120);
    return () => { window.clearTimeout(timer); ctrl.abort(); };
  }, [q]);

  function pick(c: Colleague) {
    const el = area.current;
    const caret = el?.selectionStart ?? text.length;
    const before = text.slice(0, caret).replace(/@([\p{L}\p{N}._-]{0,30})$/u, `@${c.name} `);
    onPick(c);
    onText(before + text.slice(caret));
    setQ(null);
    window.setTimeout(() => { el?.focus(); el?.setSelectionRange(before.length, before.length); }, 0);
  }

  const open = q !== null;
  // Keys go to the list while it is open (a native listener runs before the composer's Enter-to-send).
  useEffect(() => {
    const el = area.current;
    if (!el || !open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') { setQ(null); e.preventDefault(); e.stopPropagation(); return; }
      if (found.length === 0) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : found.length - 1)) % found.length);
      } else if (e.key === 'Enter' || e.key === 'Tab') {
        pick(found[Math.min(active, found.length - 1)]);
      } else return;
      e.preventDefault();
      e.stopPropagation();
    };
    el.addEventListener('keydown', onKey);
    return () => el.removeEventListener('keydown', onKey);
  });

  if (!open) return null;
  return (
    <ul className="mention-picker" role="listbox" aria-label={t('mentionColleague')} data-testid="mention-picker">
      {found.length === 0 ? <li className="muted" aria-disabled="true">{t('noColleagues')}</li> : found.map((c, i) => (
        <li key={c.id} role="option" aria-selected={i === active} onMouseDown={(e) => { e.preventDefault(); pick(c); }}>@{c.name}</li>
      ))}
    </ul>
  );
}

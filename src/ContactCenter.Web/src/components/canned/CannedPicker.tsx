import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useI18n } from '../../i18n';
import { ApiError } from '../../lib/api';
import { filterCanned, listCanned, renderCanned, slashToken, type CannedResponse } from '../../lib/canned';
import type { Attachment, Id } from '../../types';
import './canned.css';

interface Options {
  area: RefObject<HTMLTextAreaElement | null>; text: string; setText: (value: string) => void;
  /** The conversation's server id: rendering needs it (null while the conversation is not created yet). */
  conversationId: Id | null;
  onAttachments: (files: Attachment[]) => void;
  disabled?: boolean;
}

const MAX_SHOWN = 8;

/**
 * Canned responses in the composer: "/" at the start of the text or after a space opens a list filtered by what follows;
 * ArrowUp/ArrowDown move, Enter or Tab insert (rendered by the server with the conversation's variables), Esc closes.
 * Returns the key handler the textarea calls first, the ARIA props for the textarea, and the popup to mount above it.
 */
export function useCannedPicker({ area, text, setText, conversationId, onAttachments, disabled = false }: Options) {
  const { t } = useI18n();
  const [caret, setCaret] = useState(0);
  const [all, setAll] = useState<CannedResponse[] | null>(null);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const loading = useRef(false);

  // The caret moves with typing, clicks and arrows; read it after each render of new text.
  useEffect(() => { setCaret(area.current?.selectionStart ?? text.length); }, [text, area]);

  const token = disabled || conversationId === null ? null : slashToken(text, caret);
  const open = token !== null && dismissedAt !== token.start;
  const matches = open && all ? filterCanned(all, token.query).slice(0, MAX_SHOWN) : [];

  // Loaded when the popup opens, so a response created in another tab shows up next time.
  useEffect(() => {
    if (!open) { if (all !== null) setAll(null); return; }
    if (all !== null || loading.current) return;
    loading.current = true;
    listCanned().then(setAll).catch((e: ApiError) => { setAll([]); setError(e.message); }).finally(() => { loading.current = false; });
  }, [open, all]);

  useEffect(() => { setActive(0); }, [token?.query]);
  useEffect(() => { if (!token) { setDismissedAt(null); setError(null); } }, [token]);

  async function choose(r: CannedResponse) {
    if (!token || conversationId === null) return;
    setBusy(true);
    setError(null);
    try {
      const rendered = await renderCanned(r.id, conversationId);
      const before = text.slice(0, token.start);
      const after = text.slice(caret);
      setText(before + rendered.text + after);
      if (rendered.attachments.length > 0) onAttachments(rendered.attachments);
      const at = before.length + rendered.text.length;
      window.requestAnimationFrame(() => { area.current?.setSelectionRange(at, at); setCaret(at); });
    } catch (e) {
      setError(t('cannedInsertFailed', { reason: (e as ApiError).message }));
    } finally {
      setBusy(false);
      area.current?.focus();
    }
  }

  /** True when the key was the picker's (the composer must not also act on it, e.g. send on Enter). */
  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open || e.nativeEvent.isComposing) return false;
    if (e.key === 'Escape') { e.preventDefault(); setDismissedAt(token!.start); return true; }
    if (matches.length === 0) return false;
    if (e.key === 'ArrowDown') { e.preventDefault(); setActive((i) => (i + 1) % matches.length); return true; }
    if (e.key === 'ArrowUp') { e.preventDefault(); setActive((i) => (i - 1 + matches.length) % matches.length); return true; }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      e.preventDefault();
      if (!busy) void choose(matches[Math.min(active, matches.length - 1)]);
      return true;
    }
    return false;
  }

  const onCaret = () => setCaret(area.current?.selectionStart ?? 0);
  const listId = 'canned-picker-list';
  const inputProps = {
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': open && matches.length > 0 ? `canned-option-${matches[Math.min(active, matches.length - 1)].id}` : undefined,
    onSelect: onCaret, onClick: onCaret,
  };

  const popup = open || error ? (
    <div className="canned-picker" data-testid="canned-picker">
      {open && (
        <ul id={listId} role="listbox" aria-label={t('cannedResponses')}>
          {all === null && <li className="muted">{t('loading')}</li>}
          {all !== null && matches.length === 0 && <li className="muted">{t('cannedNoMatches')}</li>}
          {matches.map((r, i) => (
            <li key={r.id} id={`canned-option-${r.id}`} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
              onMouseDown={(e) => { e.preventDefault(); void choose(r); }} onMouseEnter={() => setActive(i)}>
              <span className="canned-shortcut">/{r.shortcut}</span>
              {r.title && <span className="canned-title">{r.title}</span>}
              {r.shared && <span className="badge muted">{t('cannedShared')}</span>}
              <span className="canned-preview muted">{r.text}</span>
            </li>
          ))}
        </ul>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  ) : null;

  return { onKeyDown, inputProps, popup };
}

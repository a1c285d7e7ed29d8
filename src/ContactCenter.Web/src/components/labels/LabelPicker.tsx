import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { body, client } from '../../api/client';
import { sameId, type Label } from '../../types';
import { LabelChips } from './LabelChips';
import { textOn, useLabels } from './labelStore';
import './labels.css';

/**
 * Labels of a conversation (the thread header; button shortcut `label`) or of a contact (the profile): the chips, and a
 * button opening a list of every label to tick. Each tick replaces the set (PUT); for a conversation the push that
 * follows updates every screen, this one included.
 */
export function LabelPicker({ conversationId, contactId, labels }: { conversationId?: string; contactId?: string; labels: Label[] | undefined }) {
  const { t } = useI18n();
  const all = useLabels();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [mine, setMine] = useState<Label[]>(labels ?? []);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => { setMine(labels ?? []); }, [labels]);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => { if (!box.current?.contains(e.target as Node)) setOpen(false); };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  // Ticks are sent one after another, in order, and only the answer to the last one replaces the boxes: two quick
  // ticks must not end with the first one's answer (or the server applying them the other way round).
  const queue = useRef<Promise<void>>(Promise.resolve());
  const waiting = useRef(0);
  const confirmed = useRef<Label[]>(labels ?? []);
  useEffect(() => { confirmed.current = labels ?? []; }, [labels]);

  function toggle(label: Label, on: boolean) {
    // Ticked at once (the box follows the click); the server's answer to the last tick, or the last set it confirmed
    // after an error, replaces it.
    const next = on ? [...mine, label] : mine.filter((l) => !sameId(l.id, label.id));
    setMine(next);
    waiting.current += 1;
    queue.current = queue.current.then(async () => {
      try {
        const labelIds = next.map((l) => l.id);
        const result = contactId !== undefined
          ? await body(client.PUT('/api/contacts/{id}/labels', { params: { path: { id: Number(contactId) } }, body: { labelIds } }))
          : await body(client.PUT('/api/conversations/{id}/labels', { params: { path: { id: Number(conversationId) } }, body: { labelIds } }));
        confirmed.current = result.labels;
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        waiting.current -= 1;
        if (waiting.current === 0) setMine(confirmed.current);
      }
    });
  }

  return (
    <div className="label-picker" ref={box}>
      <LabelChips labels={mine} />
      <button type="button" data-shortcut={contactId === undefined ? 'label' : undefined} aria-haspopup="true" aria-expanded={open} onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => { if (e.key === 'Escape') setOpen(false); }}>{t('labelsButton')}</button>
      {open && (
        <div className="label-menu" role="group" aria-label={t('labels')} onKeyDown={(e) => { if (e.key === 'Escape') setOpen(false); }}>
          {all.length === 0 && <p className="muted">{t('noLabelsYet')}</p>}
          {all.map((l) => (
            <label key={String(l.id)} className="label-option">
              <input type="checkbox" checked={mine.some((m) => sameId(m.id, l.id))} onChange={(e) => toggle(l, e.target.checked)} />
              <span className="label-chip" style={{ background: l.color, color: textOn(l.color) }}>{l.name}</span>
            </label>
          ))}
          {error && <p className="error" role="alert">{error}</p>}
        </div>
      )}
    </div>
  );
}

import { useEffect, useId, useRef } from 'react';
import { useI18n } from '../i18n';
import type { StringKey } from '../strings';
import './phone.css';

const rows: { keys: string[]; label: StringKey }[] = [
  { keys: ['j', '↓'], label: 'sc_next' },
  { keys: ['k', '↑'], label: 'sc_prev' },
  { keys: ['r'], label: 'sc_reply' },
  { keys: ['n'], label: 'sc_note' },
  { keys: ['a'], label: 'sc_assignMe' },
  { keys: ['e'], label: 'sc_resolve' },
  { keys: ['s'], label: 'sc_snooze' },
  { keys: ['l'], label: 'sc_label' },
  { keys: ['Ctrl/⌘', 'K'], label: 'sc_search' },
  { keys: ['?'], label: 'sc_help' },
  { keys: ['Esc'], label: 'sc_escape' },
];

/**
 * The `?` dialog: every shortcut of lib/shortcuts.ts (↓/↑ move in the conversation list). A native modal dialog that is
 * closed while still in the page (before React removes it), so the browser gives the focus back to where it was and
 * the next key press reaches the shortcuts again.
 */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => dialog?.close?.();
  }, []);
  const close = () => { ref.current?.close?.(); onClose(); };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); close(); }}>
      <h2 id={titleId}>{t('shortcutsTitle')}</h2>
      <table className="shortcuts" data-testid="shortcuts-dialog">
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <td>{r.keys.map((k, i) => <span key={k}>{i > 0 && ' '}<kbd>{k}</kbd></span>)}</td>
              <td>{t(r.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('sc_hint')}</p>
      <div className="dialog-buttons"><button type="button" onClick={close} autoFocus>{t('close')}</button></div>
    </dialog>
  );
}

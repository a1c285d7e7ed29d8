import { useI18n } from '../i18n';
import type { StringKey } from '../strings';
import { Dialog } from './Dialog';
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

/** The `?` dialog: every shortcut of lib/shortcuts.ts (↓/↑ move in the conversation list). */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={t('shortcutsTitle')} onClose={onClose}>
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
      <div className="dialog-buttons"><button type="button" onClick={onClose} autoFocus>{t('close')}</button></div>
    </Dialog>
  );
}

import { useState } from 'react';
import { useI18n } from '../../i18n';

/** A button that opens the list of columns with a checkbox each (the choice is saved by the caller). */
export function ColumnChooser({ all, visible, onToggle }: { all: { key: string; label: string }[]; visible: string[]; onToggle: (key: string) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <div className="column-chooser">
      <button type="button" aria-expanded={open} onClick={() => setOpen((v) => !v)}>{t('columns')}</button>
      {open && (
        <div className="column-menu" role="group" aria-label={t('columns')}>
          {all.map((c) => (
            <label key={c.key}>
              <input type="checkbox" checked={visible.includes(c.key)} onChange={() => onToggle(c.key)} /> {c.label}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}

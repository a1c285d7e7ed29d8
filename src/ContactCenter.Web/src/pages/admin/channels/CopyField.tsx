import { useRef, useState } from 'react';
import { useI18n } from '../../../i18n';

/** A value to paste somewhere else, shown exactly as the server computed it, with a copy button. */
export function CopyField({ name, label, value }: { name: string; label: string; value: string }) {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  const box = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const multiline = value.includes('\n') || value.length > 120;
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Without the async clipboard (an insecure origin), copy the selected text the old way.
      box.current?.select();
      document.execCommand('copy');
    }
    setDone(true);
    window.setTimeout(() => setDone(false), 2000);
  }
  return (
    <div className="copy-field" data-public-key={name}>
      <label>{label}
        {multiline
          ? <textarea ref={box} readOnly rows={Math.min(12, value.split('\n').length + 1)} className="mono" value={value} />
          : <input ref={box} readOnly className="mono" value={value} />}
      </label>
      <button type="button" onClick={() => void copy()} aria-label={t('chCopyLabel', { what: label })}>{done ? t('chCopied') : t('chCopy')}</button>
    </div>
  );
}

import { useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { amountField, parseAmount } from '../../lib/format';

/**
 * A card's value edited in place (Bitrix24's pencil beside the title and the sum): the value with an edit button,
 * which turns into an input with Save and Cancel (Enter saves, Escape cancels). `children` is how the value reads
 * when not edited (a heading, formatted money); `readOnly` shows it without the button (with `readOnlyHint` as its title).
 */
export function InlineEdit({ label, value, onSave, children, type = 'text', step, readOnly, readOnlyHint, testId }: {
  label: string; value: string; onSave: (v: string) => Promise<void> | void; children: ReactNode;
  type?: 'text' | 'number' | 'amount'; step?: string; readOnly?: boolean; readOnlyHint?: string; testId?: string;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  if (!editing) {
    return (
      <span className="inline-edit" data-testid={testId} title={readOnly ? readOnlyHint : undefined}>
        {children}
        {!readOnly && <button type="button" className="link inline-edit-button" aria-label={`${t('edit')}: ${label}`}
          onClick={() => { setDraft(value); setEditing(true); }}>✎</button>}
      </span>
    );
  }
  return (
    <form className="inline-edit editing" data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        // An amount is sent in the API's form whichever separator was typed (the pattern has refused anything else).
        const saved = type === 'amount' ? parseAmount(draft) : draft;
        setEditing(false);
        if (saved !== null && saved !== value) void onSave(saved);
      }}>
      <input {...(type === 'amount' ? amountField(t('amountHint')) : { type })} step={step} value={draft} aria-label={label} autoFocus required
        maxLength={type === 'text' ? 500 : undefined}
        onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => { if (e.key === 'Escape') setEditing(false); }} />
      <button type="submit">{t('save')}</button>
      <button type="button" onClick={() => setEditing(false)}>{t('cancel')}</button>
    </form>
  );
}

import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import type { Id } from '../../types';
import { applicable, type CustomField, type FieldValue, type FieldValues } from './fieldTypes';
import { useCustomFields } from './useCustomFields';
import './fields.css';

/**
 * The custom fields of a contact, lead or deal, each editable in place. `onChange` receives a patch `{key: value}` (null
 * clears a value), ready to send as `fields` in the entity's PATCH; a rejected value shows the server's sentence.
 */
export function CustomFieldsEditor({ entity, values, onChange, pipelineId, readOnly }: {
  entity: CustomField['entity']; values: Record<string, unknown> | undefined; onChange: (patch: FieldValues) => Promise<void> | void;
  pipelineId?: Id | null; readOnly?: boolean;
}) {
  const { t } = useI18n();
  const defs = useCustomFields(entity);
  const fields = applicable(defs.data ?? [], pipelineId);
  if (fields.length === 0) return null;
  return (
    <fieldset className="custom-fields" data-testid={`custom-fields-${entity}`}>
      <legend>{t('customFields')}</legend>
      {fields.map((f) => (
        <FieldInput key={f.key} field={f} value={(values?.[f.key] as FieldValue | undefined) ?? null} readOnly={readOnly}
          onSave={(v) => onChange({ [f.key]: v })} />
      ))}
    </fieldset>
  );
}

function FieldInput({ field, value, onSave, readOnly }: {
  field: CustomField; value: FieldValue; onSave: (v: FieldValue) => Promise<void> | void; readOnly?: boolean;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<FieldValue>(value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { setDraft(value); }, [value]);
  const label = field.required ? `${field.label} *` : field.label;
  const id = `cf-${field.entity}-${field.key}`;

  async function save(next: FieldValue) {
    setDraft(next);
    try { setError(null); await onSave(next); } catch (e) { setError((e as Error).message); }
  }
  const text = (v: FieldValue) => (v === null || v === undefined ? '' : String(v));
  const saveText = (raw: string) => {
    const next = raw.trim() === '' ? null : field.type === 'number' || field.type === 'money' ? Number(raw) : raw;
    if (text(next) !== text(value)) void save(next);
  };

  let input: React.ReactNode;
  switch (field.type) {
    case 'boolean':
      input = <input id={id} type="checkbox" checked={draft === true} disabled={readOnly} onChange={(e) => void save(e.target.checked)} />;
      break;
    case 'list':
      input = (
        <select id={id} value={text(draft)} disabled={readOnly} onChange={(e) => void save(e.target.value || null)}>
          <option value="">{t('fieldEmpty')}</option>
          {field.options.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      );
      break;
    case 'multi-list': {
      const chosen = Array.isArray(draft) ? draft : [];
      input = (
        <span id={id} className="cf-options" role="group" aria-label={field.label}>
          {field.options.map((o) => (
            <label key={o} className="cf-option">
              <input type="checkbox" checked={chosen.includes(o)} disabled={readOnly}
                onChange={(e) => void save(field.options.filter((x) => (x === o ? e.target.checked : chosen.includes(x))))} />
              {o}
            </label>
          ))}
        </span>
      );
      break;
    }
    default: {
      const type = field.type === 'number' || field.type === 'money' ? 'number' : field.type === 'date' ? 'date' : field.type === 'url' ? 'url' : 'text';
      input = (
        <input id={id} type={type} step={field.type === 'money' ? '0.01' : 'any'} value={text(draft)} readOnly={readOnly}
          onChange={(e) => setDraft(e.target.value)} onBlur={(e) => saveText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); saveText((e.target as HTMLInputElement).value); } }} />
      );
    }
  }
  return (
    <div className="cf-row" data-field-key={field.key}>
      <label htmlFor={id}>{label}</label>
      {input}
      {field.type === 'url' && typeof value === 'string' && value && <a href={value} target="_blank" rel="noopener noreferrer nofollow">{t('openLink')}</a>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

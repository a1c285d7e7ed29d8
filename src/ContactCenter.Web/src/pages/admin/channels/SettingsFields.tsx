import { useId } from 'react';
import { useI18n } from '../../../i18n';
import type { StringKey } from '../../../strings';
import { isSecret, randomSecret, type FieldDef, type FormValues, type KindDef } from './kinds';

interface Props {
  def: KindDef;
  values: FormValues;
  onChange: (values: FormValues) => void;
  /** Field errors by setting name (the server's `settings.<name>` keys). */
  errors: Record<string, string[]>;
  /** Editing an existing channel: which secrets it has, and which the admin chose to replace. */
  secretsSet?: readonly string[];
  replaced?: ReadonlySet<string>;
  onReplace?: (name: string, on: boolean) => void;
}

/** A kind's settings with human labels, help, links, presets and write-only secrets. */
export function SettingsFields({ def, values, onChange, errors, secretsSet, replaced, onReplace }: Props) {
  const { t } = useI18n();
  const presetId = useId();
  const set = (name: string, value: string | boolean) => onChange({ ...values, [name]: value });
  const preset = def.presets?.find((p) => Object.entries(p.values).every(([k, v]) => values[k] === v));
  function applyPreset(id: string) {
    const p = def.presets?.find((x) => x.id === id);
    if (p) onChange({ ...values, ...p.values });
  }
  const basic = def.fields.filter((f) => !f.advanced);
  const advanced = def.fields.filter((f) => f.advanced);
  const field = (f: FieldDef) => (
    <Field key={f.name} kind={def.kind} f={f} value={values[f.name]} errors={errors[f.name]} set={(v) => {
      // A mailbox's login is nearly always its address: follow the address while the login was not typed apart.
      if (f.name === 'address' && typeof v === 'string' && def.fields.some((x) => x.name === 'username') && (values.username === '' || values.username === values.address)) {
        onChange({ ...values, address: v, username: v });
      } else set(f.name, v);
    }}
      secretSet={secretsSet?.includes(f.name)} replacing={replaced?.has(f.name)} onReplace={onReplace} />
  );
  return (
    <div className="settings-fields">
      {def.presets && (
        <div className="preset">
          <label htmlFor={presetId}>{t('chPreset')}</label>
          <select id={presetId} value={preset?.id ?? ''} onChange={(e) => applyPreset(e.target.value)}>
            <option value="">{t('chPresetNone')}</option>
            {def.presets.map((p) => <option key={p.id} value={p.id}>{t(`chPreset_${p.id}` as StringKey)}</option>)}
          </select>
          <p className="help">{t('chPresetHelp')}{preset?.link && <> <a href={preset.link} target="_blank" rel="noreferrer">{t('chPresetLink')}</a></>}</p>
        </div>
      )}
      {basic.map(field)}
      {advanced.length > 0 && (
        <details className="advanced" open={advanced.some((f) => errors[f.name] || (typeof values[f.name] === 'string' && values[f.name] !== ''))}>
          <summary>{t('chAdvanced')}</summary>
          {advanced.map(field)}
        </details>
      )}
    </div>
  );
}

function Field({ kind, f, value, errors, set, secretSet, replacing, onReplace }: {
  kind: string; f: FieldDef; value: string | boolean | undefined; errors?: string[]; set: (v: string | boolean) => void;
  secretSet?: boolean; replacing?: boolean; onReplace?: (name: string, on: boolean) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const label = t(`chf_${kind}_${f.name}` as StringKey);
  const help = t(`chf_${kind}_${f.name}_help` as StringKey);
  const invalid = !!errors?.length;
  const describedBy = `${id}-help${invalid ? ` ${id}-error` : ''}`;
  // Editing a channel whose secret is set: it is never shown, only replaced (then sent), or kept (not sent).
  const locked = isSecret(f) && secretSet && onReplace && !replacing;
  const text = typeof value === 'string' ? value : '';
  let input: React.ReactNode;
  if (f.type === 'bool') {
    return (
      <div className={`field bool${invalid ? ' invalid' : ''}`} data-field={f.name}>
        <label className="toggle"><input id={id} type="checkbox" checked={value === true} aria-describedby={describedBy}
          onChange={(e) => set(e.target.checked)} /> {label}</label>
        <p className="help" id={`${id}-help`}>{help}</p>
        {invalid && <p className="error field-error" id={`${id}-error`} role="alert">{errors!.join(' ')}</p>}
      </div>
    );
  }
  if (f.type === 'select') {
    input = (
      <select id={id} value={text} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set(e.target.value)}>
        {!f.required && !f.defaultValue && <option value="" />}
        {f.options!.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    );
  } else if (f.type === 'textarea') {
    input = <textarea id={id} rows={3} value={text} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set(e.target.value)} />;
  } else if (locked) {
    input = (
      <span className="secret-locked">
        <span className="pill secret-state set" id={id}>{t('chSecretStateLabel', { field: label, state: t('chSecretSet') })}</span>{' '}
        <button type="button" onClick={() => onReplace!(f.name, true)}>{t('chReplace')}</button>
      </span>
    );
  } else {
    const type = f.type === 'secret' ? 'password' : f.type === 'number' ? 'text' : f.type === 'list' ? 'text' : f.type;
    input = (
      <span className="input-row">
        <input id={id} type={type} inputMode={f.type === 'number' ? 'numeric' : undefined} autoComplete={isSecret(f) ? 'new-password' : 'off'}
          spellCheck={false} placeholder={f.placeholder} value={text} required={f.required && !(isSecret(f) && secretSet)}
          aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set(e.target.value)} />
        {f.generate && <button type="button" onClick={() => set(randomSecret())}>{t('chGenerate')}</button>}
        {isSecret(f) && secretSet && onReplace && <button type="button" onClick={() => onReplace(f.name, false)}>{t('chKeep')}</button>}
      </span>
    );
  }
  return (
    <div className={`field${invalid ? ' invalid' : ''}`} data-field={f.name}>
      <label htmlFor={id}>{label}{f.required && <span className="muted"> ({t('chRequired')})</span>}</label>
      {input}
      <p className="help" id={`${id}-help`}>{help}{f.link && <> <a href={f.link} target="_blank" rel="noreferrer">{t('chWhereToGet')}</a></>}</p>
      {invalid && <p className="error field-error" id={`${id}-error`} role="alert">{errors!.join(' ')}</p>}
    </div>
  );
}

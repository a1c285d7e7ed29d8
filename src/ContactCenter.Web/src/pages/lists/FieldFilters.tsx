import { useI18n } from '../../i18n';
import type { CustomField } from '../../components/fields/fieldTypes';

/** One filter input per custom field, read as `field.<key>=value` by the list routes. */
export function FieldFilters({ fields, filters, onChange }: {
  fields: CustomField[]; filters: Record<string, string>; onChange: (key: string, value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <>
      {fields.map((f) => {
        const name = `field.${f.key}`;
        const value = filters[name] ?? '';
        if (f.type === 'list' || f.type === 'multi-list' || f.type === 'boolean') {
          const options = f.type === 'boolean' ? [['true', t('yes')], ['false', t('no')]] : f.options.map((o) => [o, o]);
          return (
            <label key={f.key} className="filter">{f.label}
              <select aria-label={`${t('filterBy')} ${f.label}`} value={value} onChange={(e) => onChange(name, e.target.value)}>
                <option value="">{t('any')}</option>
                {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
              </select>
            </label>
          );
        }
        return (
          <label key={f.key} className="filter">{f.label}
            <input aria-label={`${t('filterBy')} ${f.label}`} type={f.type === 'date' ? 'date' : f.type === 'number' || f.type === 'money' ? 'number' : 'text'}
              defaultValue={value} onBlur={(e) => onChange(name, e.target.value.trim())}
              onKeyDown={(e) => { if (e.key === 'Enter') onChange(name, (e.target as HTMLInputElement).value.trim()); }} />
          </label>
        );
      })}
    </>
  );
}

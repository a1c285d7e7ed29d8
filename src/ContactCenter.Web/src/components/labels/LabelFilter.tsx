import { useI18n } from '../../i18n';
import { useLabels } from './labelStore';

/** The list's label filter: a select of every label (empty = any). */
export function LabelFilter({ value, onChange }: { value: string; onChange: (labelId: string) => void }) {
  const { t } = useI18n();
  const labels = useLabels();
  return (
    <select aria-label={t('labelFilter')} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('anyLabel')}</option>
      {labels.map((l) => <option key={String(l.id)} value={String(l.id)}>{l.name}</option>)}
      {value && !labels.some((l) => String(l.id) === value) && <option value={value}>#{value}</option>}
    </select>
  );
}

import { useState } from 'react';
import { fieldTypes, type CustomField } from '../../components/fields/fieldTypes';
import { useI18n } from '../../i18n';
import { client, optionalId } from '../../api/client';
import type { StringKey } from '../../strings';
import '../../components/fields/fields.css';
import { useApiGet } from '../../api/useApiGet';

const entities: CustomField['entity'][] = ['deal', 'lead', 'contact', 'company'];

/** Admin → Custom fields: define fields of deals, leads, contacts and companies (key and type are fixed once made), archive or remove them. */
export function CustomFieldsTab() {
  const { t } = useI18n();
  const fields = useApiGet('/api/custom-fields', { params: { query: { archived: true } } });
  const pipelines = useApiGet('/api/pipelines');
  const [entity, setEntity] = useState<CustomField['entity']>('deal');
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [type, setType] = useState<CustomField['type']>('string');
  const [options, setOptions] = useState('');
  const [required, setRequired] = useState(false);
  const [pipelineId, setPipelineId] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>) {
    try { setError(null); await action(); await fields.reload(); return true; } catch (e) { setError((e as Error).message); return false; }
  }
  const listType = type === 'list' || type === 'multi-list';
  return (
    <section className="custom-fields-admin" aria-label={t('customFields')}>
      <form className="filter-bar" onSubmit={(e) => {
        e.preventDefault();
        void run(() => client.POST('/api/custom-fields', {
          body: {
            entity, key, label, type, required,
            options: listType ? options.split(',').map((o) => o.trim()).filter(Boolean) : undefined,
            pipelineId: entity === 'deal' && pipelineId ? optionalId(pipelines.data?.find((p) => String(p.id) === pipelineId)?.id) : undefined,
          },
        })).then((ok) => { if (ok) { setKey(''); setLabel(''); setOptions(''); } });
      }}>
        <label className="filter">{t('fieldEntity')}
          <select value={entity} onChange={(e) => setEntity(e.target.value as CustomField['entity'])}>
            {entities.map((x) => <option key={x} value={x}>{t(`entity_${x}`)}</option>)}
          </select>
        </label>
        <label className="filter">{t('fieldLabel')}<input value={label} required maxLength={200} onChange={(e) => setLabel(e.target.value)} /></label>
        <label className="filter">{t('fieldKey')}<input value={key} required pattern="[a-z][a-z0-9_]{0,49}" maxLength={50} onChange={(e) => setKey(e.target.value)} /></label>
        <label className="filter">{t('fieldType')}
          <select value={type} onChange={(e) => setType(e.target.value as CustomField['type'])}>
            {fieldTypes.map((x) => <option key={x} value={x}>{t(`fieldType_${x.replace('-', '_')}` as StringKey)}</option>)}
          </select>
        </label>
        {listType && <label className="filter">{t('fieldOptions')}<input value={options} required onChange={(e) => setOptions(e.target.value)} placeholder="a, b, c" /></label>}
        {entity === 'deal' && (
          <label className="filter">{t('pipeline')}
            <select value={pipelineId} onChange={(e) => setPipelineId(e.target.value)}>
              <option value="">{t('allPipelines')}</option>
              {(pipelines.data ?? []).map((p) => <option key={String(p.id)} value={String(p.id)}>{p.name}</option>)}
            </select>
          </label>
        )}
        <label className="filter check"><input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />{t('fieldRequired')}</label>
        <button type="submit" className="primary">{t('createField')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      <table className="list-table">
        <thead><tr><th>{t('fieldEntity')}</th><th>{t('fieldLabel')}</th><th>{t('fieldKey')}</th><th>{t('fieldType')}</th><th /></tr></thead>
        <tbody>
          {(fields.data ?? []).map((f) => (
            <tr key={String(f.id)} data-field-row={f.key} className={f.archived ? 'muted' : ''}>
              <td data-label={t('fieldEntity')}>{t(`entity_${f.entity}` as StringKey)}</td>
              <td data-label={t('fieldLabel')}>{f.label}{f.required ? ' *' : ''}</td>
              <td data-label={t('fieldKey')}><code>{f.key}</code></td>
              <td data-label={t('fieldType')}>{t(`fieldType_${f.type.replace('-', '_')}` as StringKey)}{f.options.length ? ` (${f.options.join(', ')})` : ''}</td>
              <td>
                <button type="button" onClick={() => void run(() => client.PATCH('/api/custom-fields/{id}', { params: { path: { id: Number(f.id) } }, body: { archived: !f.archived } }))}>
                  {f.archived ? t('restoreField') : t('archiveField')}
                </button>
                <button type="button" className="danger" onClick={() => {
                  if (window.confirm(t('deleteFieldConfirm', { name: f.label }))) void run(() => client.DELETE('/api/custom-fields/{id}', { params: { path: { id: Number(f.id) } } }));
                }}>{t('deleteField')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

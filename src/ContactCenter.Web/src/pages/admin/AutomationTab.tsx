import { useState } from 'react';
import { body, client, type Schemas } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { ResourceStatus } from '../../components/Status';
import { useI18n } from '../../i18n';
import { describeError } from '../../lib/errors';
import type { Id } from '../../types';

const sampleRule = JSON.stringify({
  name: 'Call back new deals', enabled: true, trigger: { type: 'dealCreated' },
  actions: [{ type: 'createActivity', activityType: 'call', title: 'Call the customer', dueIn: 'PT1H', assignee: 'owner' }],
}, null, 2);

/** Automation rules, edited as JSON (the rule's trigger, conditions and actions; docs/API-EXTENSIONS.md). */
export function AutomationTab() {
  const { t } = useI18n();
  const rules = useApiGet('/api/automation/rules');
  const [json, setJson] = useState(sampleRule);
  const [editing, setEditing] = useState<Id | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = rules.data ?? [];

  async function save() {
    try {
      setError(null);
      let rule: Schemas['AutomationRuleInput'];
      try { rule = JSON.parse(json) as Schemas['AutomationRuleInput']; } catch (e) { setError(t('ruleJsonInvalid', { reason: (e as Error).message })); return; }
      if (editing !== null) await body(client.PUT('/api/automation/rules/{id}', { params: { path: { id: Number(editing) } }, body: rule }));
      else await body(client.POST('/api/automation/rules', { body: rule }));
      setEditing(null); setJson(sampleRule);
      void rules.reload();
    } catch (e) { setError(describeError(e)); }
  }
  async function remove(id: Id) {
    try { await body(client.DELETE('/api/automation/rules/{id}', { params: { path: { id: Number(id) } } })); void rules.reload(); } catch (e) { setError(describeError(e)); }
  }
  return (
    <>
      <ResourceStatus resource={rules} what="GET /api/automation/rules" />
      <ul className="admin-list">
        {list.map((r) => (
          <li key={String(r.id)}>
            <strong>{r.name}</strong> {r.enabled ? '' : <span className="pill">{t('ruleOff')}</span>}{' '}
            <button type="button" onClick={() => { setEditing(r.id); const { id: _id, createdAt: _created, updatedAt: _updated, ...rest } = r; void _id; void _created; void _updated; setJson(JSON.stringify(rest, null, 2)); }}>{t('edit')}</button>{' '}
            <button type="button" className="danger" onClick={() => { if (window.confirm(t('ruleDeleteConfirm', { name: r.name }))) void remove(r.id); }}>{t('delete')}</button>
          </li>
        ))}
      </ul>
      {!rules.notAvailable && (
        <form className="admin-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <label>{t('ruleJson')} <textarea rows={12} className="mono" value={json} onChange={(e) => setJson(e.target.value)} /></label>
          <div className="row">
            <button type="submit" className="primary">{editing !== null ? t('save') : t('create')}</button>
            {editing !== null && <button type="button" onClick={() => { setEditing(null); setJson(sampleRule); }}>{t('cancel')}</button>}
          </div>
          {error && <p className="error" role="alert">{error}</p>}
        </form>
      )}
    </>
  );
}

import { useState } from 'react';
import { ResourceStatus } from '../components/Status';
import { PageMissing } from '../components/PageMissing';
import { useI18n } from '../i18n';
import { api } from '../lib/api';
import { describeError } from '../lib/errors';
import { useNavigate, useParams } from 'react-router';
import type { Id, Pipeline, Stage } from '../types';
import { AuditTab } from './admin/AuditTab';
import { LabelsTab } from './admin/LabelsTab';
import { CustomFieldsTab } from './admin/CustomFieldsTab';
import { ChannelsTab } from './admin/channels/ChannelsTab';
import { UsersTab } from './admin/UsersTab';
import { useApiGet } from '../api/useApiGet';

const tabs = ['channels', 'users', 'pipelines', 'lossReasons', 'automation', 'crmMode', 'labels', 'customFields', 'audit'] as const;
type Tab = (typeof tabs)[number];

export function AdminPage() {
  const { t } = useI18n();
  // The tab is in the path (/admin/users, /admin/audit) so that it survives a reload and can be linked to.
  const navigate = useNavigate();
  const asked = useParams().tab as Tab | undefined;
  const tab: Tab = asked && tabs.includes(asked) ? asked : 'channels';
  // A tab that does not exist (/admin/nope): said so, not the first tab under a wrong address.
  if (asked && !tabs.includes(asked)) return <PageMissing />;
  return (
    <div className="page admin">
      <div className="page-head"><h1>{t('admin')}</h1></div>
      <div role="tablist" className="views" aria-label={t('admin')}>
        {tabs.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => navigate(`/admin/${k}`)}>{t(k)}</button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'channels' && <ChannelsTab />}
        {tab === 'users' && <UsersTab />}
        {tab === 'pipelines' && <Pipelines />}
        {tab === 'lossReasons' && <LossReasons />}
        {tab === 'automation' && <Automation />}
        {tab === 'crmMode' && <CrmMode />}
        {tab === 'labels' && <LabelsTab />}
        {tab === 'customFields' && <CustomFieldsTab />}
        {tab === 'audit' && <AuditTab />}
      </div>
    </div>
  );
}

interface StageRow { id?: Id; name: string; semantic: Stage['semantic'] }
const newPipelineStages = (): StageRow[] => [{ name: '', semantic: 'open' }, { name: 'Won', semantic: 'won' }, { name: 'Lost', semantic: 'lost' }];

/** Pipelines and their stages: each stage keeps its id while edited, so renaming one keeps its deals. */
function Pipelines() {
  const { t } = useI18n();
  const pipelines = useApiGet('/api/pipelines');
  const [name, setName] = useState('');
  const [stages, setStages] = useState<StageRow[]>(newPipelineStages);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Pipeline | null>(null);

  function reset(p: Pipeline | null) {
    setEditing(p);
    setName(p?.name ?? '');
    setStages(p ? [...p.stages].sort((a, b) => a.order - b.order).map(({ id, name: n, semantic }) => ({ id, name: n, semantic })) : newPipelineStages());
  }
  const change = (i: number, row: Partial<StageRow>) => setStages((list) => list.map((s, j) => (j === i ? { ...s, ...row } : s)));
  // Reordering keeps each stage's id (and so its deals); the server stores the order the list is sent in.
  const move = (i: number, by: -1 | 1) => setStages((list) => {
    const j = i + by;
    if (j < 0 || j >= list.length) return list;
    const next = list.slice();
    [next[i], next[j]] = [next[j], next[i]];
    return next;
  });
  function addStage() {
    // A new working stage goes after the last open one, before the closing (won / lost) stages.
    setStages((list) => {
      const at = list.findIndex((s) => s.semantic !== 'open');
      const i = at < 0 ? list.length : at;
      return [...list.slice(0, i), { name: '', semantic: 'open' }, ...list.slice(i)];
    });
  }
  async function save() {
    try {
      setError(null);
      const body = { name, stages: stages.map((s) => ({ id: s.id, name: s.name.trim(), semantic: s.semantic })) };
      if (editing) await api(`/api/pipelines/${encodeURIComponent(String(editing.id))}`, { method: 'PUT', body });
      else await api('/api/pipelines', { body });
      reset(null);
      void pipelines.reload();
    } catch (e) { setError(describeError(e)); }
  }
  return (
    <>
      <ResourceStatus resource={pipelines} what="GET /api/pipelines" />
      <ul className="admin-list">
        {(pipelines.data ?? []).map((p) => (
          <li key={String(p.id)} data-pipeline-id={String(p.id)}>
            <strong>{p.name}</strong>{p.isDefault ? ' ★' : ''}{' '}
            <span className="muted stages-line">{p.stages.map((s) => `${s.name}${s.semantic !== 'open' ? ` (${s.semantic})` : ''}`).join(' → ')}</span>{' '}
            <button type="button" onClick={() => reset(p)}>{t('edit')}</button>
          </li>
        ))}
      </ul>
      <form className="admin-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <h2>{editing ? `${t('edit')}: ${editing.name}` : t('newPipeline')}</h2>
        <label>{t('name')} <input value={name} required onChange={(e) => setName(e.target.value)} /></label>
        <fieldset className="stages-editor">
          <legend>{t('stages')}</legend>
          <ol>
            {stages.map((s, i) => (
              <li key={s.id !== undefined ? String(s.id) : `new-${i}`} className="row">
                <input aria-label={t('stageName', { n: i + 1 })} value={s.name} required onChange={(e) => change(i, { name: e.target.value })} />
                <select aria-label={t('stageSemantic', { n: i + 1 })} value={s.semantic} onChange={(e) => change(i, { semantic: e.target.value as Stage['semantic'] })}>
                  {(['open', 'won', 'lost'] as const).map((m) => <option key={m} value={m}>{m}</option>)}
                </select>
                <button type="button" aria-label={t('moveStageUp', { n: i + 1 })} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                <button type="button" aria-label={t('moveStageDown', { n: i + 1 })} disabled={i === stages.length - 1} onClick={() => move(i, 1)}>↓</button>
                <button type="button" aria-label={t('removeStage', { n: i + 1 })} onClick={() => setStages((list) => list.filter((_, j) => j !== i))}>×</button>
              </li>
            ))}
          </ol>
          <button type="button" onClick={addStage}>{t('addStage')}</button>
        </fieldset>
        <div className="row">
          <button type="submit" className="primary">{editing ? t('save') : t('create')}</button>
          {editing && <button type="button" onClick={() => reset(null)}>{t('cancel')}</button>}
        </div>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </>
  );
}

function LossReasons() {
  const { t } = useI18n();
  const reasons = useApiGet('/api/loss-reasons');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <ResourceStatus resource={reasons} what="GET /api/loss-reasons" />
      <ul className="admin-list">{(reasons.data ?? []).map((r) => <li key={String(r.id)}>{r.name}</li>)}</ul>
      <form className="row" onSubmit={async (e) => {
        e.preventDefault();
        try { await api('/api/loss-reasons', { body: { name } }); setName(''); void reasons.reload(); } catch (err) { setError(describeError(err)); }
      }}>
        <input aria-label={t('newReason')} placeholder={t('newReason')} value={name} required onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="primary">{t('create')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
}

const sampleRule = JSON.stringify({
  name: 'Call back new deals', enabled: true, trigger: { type: 'dealCreated' },
  actions: [{ type: 'createActivity', activityType: 'call', title: 'Call the customer', dueIn: 'PT1H', assignee: 'owner' }],
}, null, 2);

function Automation() {
  const { t } = useI18n();
  const rules = useApiGet('/api/automation/rules');
  const [json, setJson] = useState(sampleRule);
  const [editing, setEditing] = useState<Id | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = rules.data ?? [];

  async function save() {
    try {
      setError(null);
      const body = JSON.parse(json);
      if (editing !== null) await api(`/api/automation/rules/${encodeURIComponent(String(editing))}`, { method: 'PUT', body });
      else await api('/api/automation/rules', { body });
      setEditing(null); setJson(sampleRule);
      void rules.reload();
    } catch (e) { setError(describeError(e)); }
  }
  async function remove(id: Id) {
    try { await api(`/api/automation/rules/${encodeURIComponent(String(id))}`, { method: 'DELETE' }); void rules.reload(); } catch (e) { setError(describeError(e)); }
  }
  return (
    <>
      <ResourceStatus resource={rules} what="GET /api/automation/rules" />
      <ul className="admin-list">
        {list.map((r) => (
          <li key={String(r.id)}>
            <strong>{r.name}</strong> {r.enabled ? '' : <span className="pill">off</span>}{' '}
            <button type="button" onClick={() => { setEditing(r.id); const { id: _id, ...rest } = r; void _id; setJson(JSON.stringify(rest, null, 2)); }}>{t('edit')}</button>{' '}
            <button type="button" className="danger" onClick={() => void remove(r.id)}>{t('delete')}</button>
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

function CrmMode() {
  const { t } = useI18n();
  const mode = useApiGet('/api/settings/crm');
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <>
      <ResourceStatus resource={mode} what="GET /api/settings/crm" />
      {mode.data && (
        <fieldset>
          <legend>{t('crmMode')}</legend>
          {(['simple', 'classic'] as const).map((m) => (
            <label key={m} className="toggle">
              <input type="radio" name="crm-mode" checked={mode.data!.mode === m} onChange={async () => {
                try { await api('/api/settings/crm', { method: 'PUT', body: { mode: m } }); mode.set(() => ({ mode: m })); setMsg(t('saved')); }
                catch (e) { setMsg(describeError(e)); }
              }} /> {t(m === 'simple' ? 'crmSimple' : 'crmClassic')}
            </label>
          ))}
          {msg && <p role="status">{msg}</p>}
        </fieldset>
      )}
    </>
  );
}

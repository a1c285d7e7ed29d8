import { useState } from 'react';
import { body, client } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { ResourceStatus } from '../../components/Status';
import { useI18n } from '../../i18n';
import { describeError } from '../../lib/errors';
import { labelOf } from '../../strings';
import type { Id, Pipeline, Stage } from '../../types';

interface StageRow { id?: Id; name: string; semantic: Stage['semantic'] }
/** A new pipeline's stages: one working stage to name, then the closing ones, named in the admin's language. */
const newPipelineStages = (won: string, lost: string): StageRow[] => [{ name: '', semantic: 'open' }, { name: won, semantic: 'won' }, { name: lost, semantic: 'lost' }];

/** Pipelines and their stages: each stage keeps its id while edited, so renaming one keeps its deals. */
export function PipelinesTab() {
  const { t } = useI18n();
  const pipelines = useApiGet('/api/pipelines');
  const [name, setName] = useState('');
  const fresh = () => newPipelineStages(t('defaultStageWon'), t('defaultStageLost'));
  const [stages, setStages] = useState<StageRow[]>(fresh);
  const [error, setError] = useState<string | null>(null);
  // A refusal of a list action (delete a pipeline that has deals) shows by the list, not below the form.
  const [listError, setListError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Pipeline | null>(null);

  function reset(p: Pipeline | null) {
    setEditing(p);
    setName(p?.name ?? '');
    setStages(p ? [...p.stages].sort((a, b) => a.order - b.order).map(({ id, name: n, semantic }) => ({ id, name: n, semantic })) : fresh());
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
  async function run(action: () => Promise<unknown>) {
    try {
      setListError(null);
      await action();
      void pipelines.reload();
    } catch (e) { setListError(describeError(e)); }
  }
  const makeDefault = (p: Pipeline) => run(() => body(client.PUT('/api/pipelines/{id}', { params: { path: { id: Number(p.id) } }, body: { isDefault: true } })));
  const remove = (p: Pipeline) => {
    if (!window.confirm(t('pipelineDeleteConfirm', { name: p.name }))) return;
    void run(async () => {
      await body(client.DELETE('/api/pipelines/{id}', { params: { path: { id: Number(p.id) } } }));
      if (editing?.id === p.id) reset(null);
    });
  };
  async function save() {
    try {
      setError(null);
      const request = { name, stages: stages.map((s) => ({ id: s.id === undefined ? undefined : Number(s.id), name: s.name.trim(), semantic: s.semantic })) };
      if (editing) await body(client.PUT('/api/pipelines/{id}', { params: { path: { id: Number(editing.id) } }, body: request }));
      else await body(client.POST('/api/pipelines', { body: request }));
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
            <strong>{p.name}</strong>{p.isDefault && <span className="muted" data-testid="default-pipeline"> ★ {t('defaultPipeline')}</span>}{' '}
            <span className="muted stages-line">{p.stages.map((s) => `${s.name}${s.semantic !== 'open' ? ` (${labelOf(t, 'semantic_', s.semantic)})` : ''}`).join(' → ')}</span>{' '}
            <button type="button" onClick={() => reset(p)}>{t('edit')}</button>
            {!p.isDefault && <button type="button" onClick={() => void makeDefault(p)}>{t('makeDefaultPipeline')}</button>}
            {!p.isDefault && <button type="button" className="danger" aria-label={t('deletePipeline', { name: p.name })} onClick={() => remove(p)}>{t('delete')}</button>}
          </li>
        ))}
      </ul>
      {listError && <p className="error" role="alert" data-testid="pipeline-list-error">{listError}</p>}
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
                  {(['open', 'won', 'lost'] as const).map((m) => <option key={m} value={m}>{t(`semantic_${m}`)}</option>)}
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

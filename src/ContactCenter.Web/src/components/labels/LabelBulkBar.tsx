import { useState } from 'react';
import { useI18n } from '../../i18n';
import { client } from '../../api/client';
import { useLabels } from './labelStore';
import './labels.css';

/** Shown while rows are ticked: add or remove one label on all of them at once (all visible or nothing changes). */
export function LabelBulkBar({ selected, onDone }: { selected: string[]; onDone: () => void }) {
  const { t } = useI18n();
  const labels = useLabels();
  const [labelId, setLabelId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (selected.length === 0) return null;

  async function apply(kind: 'add' | 'remove') {
    const label = labels.find((l) => String(l.id) === labelId);
    if (!label) return;
    setBusy(true);
    try {
      await client.POST('/api/conversations/labels', { body: { conversationIds: selected.map(Number), [kind]: [Number(label.id)] } });
      setError(null);
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="label-bulk" role="region" aria-label={t('labels')}>
      <span data-testid="selected-count">{t('selectedCount', { count: selected.length })}</span>
      <select aria-label={t('chooseLabel')} value={labelId} onChange={(e) => setLabelId(e.target.value)}>
        <option value="">{t('chooseLabel')}</option>
        {labels.map((l) => <option key={String(l.id)} value={String(l.id)}>{l.name}</option>)}
      </select>
      <button type="button" disabled={!labelId || busy} onClick={() => void apply('add')}>{t('addLabel')}</button>
      <button type="button" disabled={!labelId || busy} onClick={() => void apply('remove')}>{t('removeLabel')}</button>
      <button type="button" onClick={onDone}>{t('clearSelection')}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

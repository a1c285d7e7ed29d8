import { useState } from 'react';
import { useI18n } from '../../i18n';
import { client } from '../../api/client';
import { LabelChips } from '../../components/labels/LabelChips';
import { refreshLabels, useLabels } from '../../components/labels/labelStore';
import type { Label } from '../../types';
import '../../components/labels/labels.css';

/** Admin → Labels: create, rename, recolour and delete labels (names unique ignoring case; colours #rrggbb). */
export function LabelsTab() {
  const { t } = useI18n();
  const labels = useLabels();
  const [name, setName] = useState('');
  const [color, setColor] = useState('#2563eb');
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>) {
    try {
      await action();
      setError(null);
      await refreshLabels();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    }
  }

  return (
    <section className="labels-admin" aria-label={t('labels')}>
      <form className="label-row" onSubmit={(e) => {
        e.preventDefault();
        void run(() => client.POST('/api/labels', { body: { name, color } })).then((ok) => { if (ok) setName(''); });
      }}>
        <input type="text" aria-label={t('labelName')} placeholder={t('labelName')} value={name} maxLength={50} required onChange={(e) => setName(e.target.value)} />
        <input type="color" aria-label={t('labelColor')} value={color} onChange={(e) => setColor(e.target.value)} />
        <button type="submit" className="primary">{t('createLabel')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {labels.map((l) => <LabelRow key={String(l.id)} label={l} run={run} />)}
    </section>
  );
}

function LabelRow({ label, run }: { label: Label; run: (action: () => Promise<unknown>) => Promise<boolean> }) {
  const { t } = useI18n();
  const [name, setName] = useState(label.name);
  const [color, setColor] = useState(label.color);
  const params = { path: { id: label.id } };
  return (
    <form className="label-row" data-label-row={label.name} onSubmit={(e) => {
      e.preventDefault();
      void run(() => client.PATCH('/api/labels/{id}', { params, body: { name, color } }));
    }}>
      <LabelChips labels={[{ ...label, name, color }]} />
      <input type="text" aria-label={t('labelName')} value={name} maxLength={50} required onChange={(e) => setName(e.target.value)} />
      <input type="color" aria-label={t('labelColor')} value={color} onChange={(e) => setColor(e.target.value)} />
      <button type="submit">{t('saveLabel')}</button>
      <button type="button" className="danger" onClick={() => {
        if (window.confirm(t('deleteLabelConfirm', { name: label.name }))) void run(() => client.DELETE('/api/labels/{id}', { params }));
      }}>{t('deleteLabel')}</button>
    </form>
  );
}

import { useEffect } from 'react';
import { useI18n } from '../i18n';
import './phone.css';

/** On narrow screens the side panel is its own screen (or a drawer): this bar above it leads back to the thread; so does Escape. */
export function PanelBar({ onBack }: { onBack: () => void }) {
  const { t } = useI18n();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape' && !document.querySelector('dialog[open]')) onBack(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack]);
  return (
    <div className="panel-bar" data-testid="panel-bar">
      <button type="button" onClick={onBack} data-testid="panel-back">← {t('back')}</button>
      <strong>{t('details')}</strong>
    </div>
  );
}

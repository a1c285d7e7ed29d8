import { useI18n } from '../../i18n';
import { sameId, type Id, type Stage } from '../../types';

/** The pipeline's stages in order; the deal's stage and those before it are filled. Click a stage to move there. */
export function StageBar({ stages, current, closed, onPick }: { stages: Stage[]; current: Id | null | undefined; closed: boolean; onPick: (s: Stage) => void }) {
  const { t } = useI18n();
  const ordered = [...stages].sort((a, b) => a.order - b.order);
  const at = ordered.findIndex((s) => sameId(s.id, current));
  return (
    <ol className="stage-bar" aria-label={t('stageBar')} data-testid="stage-bar">
      {ordered.map((s, i) => {
        const here = i === at;
        const cls = [here ? 'current' : '', i < at && s.semantic === 'open' ? 'passed' : '', s.semantic].filter(Boolean).join(' ');
        return (
          <li key={String(s.id)} className={cls}>
            <button type="button" disabled={closed || here} aria-current={here ? 'step' : undefined}
              aria-label={t('moveToStage', { stage: s.name })} title={s.name} onClick={() => onPick(s)}>{s.name}</button>
          </li>
        );
      })}
    </ol>
  );
}

import type { Id, Pipeline } from '../../types';

/** How far a deal is along its pipeline's open stages (won: full and green, lost: red). */
export function StageProgress({ pipeline, stageId, outcome }: { pipeline: Pipeline | undefined; stageId: Id | undefined; outcome?: string | null }) {
  const open = (pipeline?.stages ?? []).filter((s) => s.semantic === 'open');
  const stage = pipeline?.stages.find((s) => String(s.id) === String(stageId));
  const index = open.findIndex((s) => String(s.id) === String(stageId));
  const share = outcome === 'won' || outcome === 'lost' ? 1 : open.length ? (index + 1) / open.length : 0;
  return (
    <span className="stage-cell">
      <span className="stage-name">{stage?.name ?? ''}</span>
      <span className={`stage-progress ${outcome ?? ''}`} role="progressbar" aria-label={stage?.name ?? ''}
        aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)}>
        <span style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
    </span>
  );
}

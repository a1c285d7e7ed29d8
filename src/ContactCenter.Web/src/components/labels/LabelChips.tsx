import type { Label } from '../../types';
import { textOn } from './labelStore';
import './labels.css';

/** Coloured chips of a conversation's or contact's labels (text colour chosen for contrast). */
export function LabelChips({ labels }: { labels: Label[] | undefined }) {
  if (!labels || labels.length === 0) return null;
  return (
    <span className="label-chips">
      {labels.map((l) => (
        <span key={String(l.id)} className="label-chip" data-label={l.name} style={{ background: l.color, color: textOn(l.color) }}>{l.name}</span>
      ))}
    </span>
  );
}

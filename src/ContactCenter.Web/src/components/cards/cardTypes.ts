import type { Schemas } from '../../api/client';

/** A product line of a deal as the card edits it (the answer's `total` is the server's, not sent back). */
export type ProductLine = Omit<Schemas['ProductLine'], 'total'>;

/** A catalog entry in the reader's language. */
export const catalogName = (e: { name: string; nameRu?: string | null }, lang: string) => (lang === 'ru' && e.nameRu ? e.nameRu : e.name);

/**
 * A junked lead's reason in the reader's language: its catalogue entry's name when the lead names one (the lead carries
 * only the English name it was junked with: a Russian card showed "Spam"), else the text it was junked with.
 */
export const junkReasonName = (lead: { junkReason: string | null; junkReasonId?: number | null },
  reasons: readonly { id: number; name: string; nameRu?: string | null }[] | null | undefined, lang: string) => {
  const entry = lead.junkReasonId == null ? undefined : reasons?.find((r) => r.id === lead.junkReasonId);
  return entry ? catalogName(entry, lang) : lead.junkReason;
};

/** One line's total, as the server computes it (price × quantity less the discount, in cents). */
export const lineTotal = (p: ProductLine) => Math.round(p.price * p.quantity * (1 - p.discount / 100) * 100) / 100;

/** "Overdue first" on the board: per user, per browser. */
export const overdueFirstKey = 'cc.board.overdueFirst';

/** Floats deals whose next activity is overdue to the top, keeping the server's order otherwise. */
export function overdueFirst<T extends { nextActivity?: { dueAt: string } | null; outcome?: string | null }>(deals: T[], now = Date.now()): T[] {
  const late = (d: T) => (!d.outcome && d.nextActivity && Date.parse(d.nextActivity.dueAt) < now ? 0 : 1);
  return deals.map((d, i) => ({ d, i })).sort((a, b) => late(a.d) - late(b.d) || a.i - b.i).map((x) => x.d);
}

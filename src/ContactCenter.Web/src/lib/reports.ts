import type { components } from '../api/schema';
import { request } from './api';

// The sales reports' answers (issue #17), as the OpenAPI document describes GET /api/reports/*. `FunnelStage.semantic`
// ('open' | 'won' | 'lost') and `UntouchedItem.kind` ('lead' | 'deal') are plain strings there.
type Schemas = components['schemas'];
export type FunnelStage = Schemas['FunnelStage'];
export type Funnel = Schemas['Funnel'];
export type SalesRow = Schemas['SalesRow'];
export type SalesReport = Schemas['SalesReportResult'];
export type PlanRow = Schemas['PlanRow'];
export type PlanReport = Schemas['PlanReport'];
export type EfficiencyRow = Schemas['EfficiencyRow'];
export type EfficiencyReport = Schemas['EfficiencyReportResult'];
export type SpeedRow = Schemas['SpeedRow'];
export type Untouched = Schemas['UntouchedItem'];
export type SpeedReport = Schemas['SpeedToLeadResult'];

/** A period picked as two dates (inclusive), sent as [from 00:00 UTC, the day after `to` 00:00 UTC). */
export interface Period { from: string; to: string }

const day = 86_400_000;
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);
export const defaultPeriod = (): Period => ({ from: isoDate(new Date(Date.now() - 29 * day)), to: isoDate(new Date()) });
export const periodQuery = (p: Period) => ({ from: `${p.from}T00:00:00Z`, to: `${isoDate(new Date(Date.parse(`${p.to}T00:00:00Z`) + day))}T00:00:00Z` });
export const currentMonth = () => new Date().toISOString().slice(0, 7);

/**
 * Chart rows with one value per currency ({label, USD: 21, RUB: 1}) and the currencies in order of first appearance:
 * a chart draws one bar per currency, never one bar that adds them.
 */
export function currencySeries<R extends { label: string }>(rows: readonly R[], sums: (row: R) => readonly { currency: string; amount: number }[]) {
  const currencies: string[] = [];
  const data = rows.map((r) => {
    const point: Record<string, string | number> = { label: r.label };
    for (const s of sums(r)) {
      if (!currencies.includes(s.currency)) currencies.push(s.currency);
      point[s.currency] = s.amount;
    }
    return point;
  });
  return { data, currencies };
}

/** A share as a percentage in the UI's language ("71.4%", "71,4 %"). */
export const percent = (share: number | null | undefined, locale = 'en-GB') => (share === null || share === undefined ? '—'
  : share.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 1 }));
/** Minutes in the UI's language: one decimal under ten ("4.5", "4,5"), whole above. */
export const minutes = (m: number | null | undefined, locale = 'en-GB') => (m === null || m === undefined ? '—'
  : m.toLocaleString(locale, m < 10 ? { minimumFractionDigits: 1, maximumFractionDigits: 1 } : { maximumFractionDigits: 0, useGrouping: false }));

/** Downloads a report as CSV (the bearer header rules out a plain link). */
export async function downloadCsv(path: string, fileName: string) {
  const response = await request(path + (path.includes('?') ? '&' : '?') + 'format=csv');
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

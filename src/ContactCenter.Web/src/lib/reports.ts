import { request } from './api';

// The sales reports' answers (issue #17), as GET /api/reports/* return them.
export interface FunnelStage { stageId: number; name: string; semantic: 'open' | 'won' | 'lost'; entered: number; amount: number; conversionToNext: number | null; reached: number; reachedAmount: number }
export interface Funnel {
  pipelineId: number; from: string; to: string; stages: FunnelStage[];
  won: { count: number; amount: number }; lost: { count: number; amount: number };
  lossReasons: { id: number | null; name: string; count: number; amount: number }[];
}
export interface SalesRow { key: string; label: string; count: number; sum: number; average: number | null; winRate: number | null; cycleTimeDays: number | null; lost: number }
export interface SalesReport { from: string; to: string; groupBy: string; rows: SalesRow[] }
export interface PlanRow { userId: number; name: string; plan: number | null; won: number; wonCount: number; progress: number | null; forecast: number }
export interface PlanReport { month: string; daysElapsed: number; daysInMonth: number; rows: PlanRow[] }
export interface EfficiencyRow {
  userId: number; name: string; firstResponses: number; firstResponseMedianSeconds: number | null; firstResponseP90Seconds: number | null;
  activitiesDone: number; activitiesOverdue: number; dealsWon: number; dealsWonSum: number;
}
export interface EfficiencyReport { from: string; to: string; rows: EfficiencyRow[] }
export interface SpeedRow { key: string; label: string; count: number; touched: number; medianMinutes: number | null; p90Minutes: number | null; withinFiveMinutesShare: number | null }
export interface Untouched { kind: 'lead' | 'deal'; id: number; title: string; createdAt: string; assigneeId: number | null; assigneeName: string | null }
export interface SpeedReport { from: string; to: string; groupBy: string; overall: SpeedRow; rows: SpeedRow[]; untouched: Untouched[] }

/** A period picked as two dates (inclusive), sent as [from 00:00 UTC, the day after `to` 00:00 UTC). */
export interface Period { from: string; to: string }

const day = 86_400_000;
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);
export const defaultPeriod = (): Period => ({ from: isoDate(new Date(Date.now() - 29 * day)), to: isoDate(new Date()) });
export const periodQuery = (p: Period) => ({ from: `${p.from}T00:00:00Z`, to: `${isoDate(new Date(Date.parse(`${p.to}T00:00:00Z`) + day))}T00:00:00Z` });
export const currentMonth = () => new Date().toISOString().slice(0, 7);

export const percent = (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`);
export const minutes = (m: number | null | undefined) => (m === null || m === undefined ? '—' : m < 10 ? m.toFixed(1) : String(Math.round(m)));

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

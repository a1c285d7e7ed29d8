import { useI18n } from '../../../i18n';
import type { StringKey } from '../../../strings';

const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof days)[number];
const modes = ['manual', 'evenly', 'strictly', 'all'] as const;

/** Routing, SLA and business hours (the `routing`, `sla` and `businessHours` settings every kind takes) as the form edits them. */
export interface Rules {
  mode: string; passAfter: string; maxOpen: string; first: string; reply: string;
  hoursOn: boolean; timeZone: string; week: Record<Day, { on: boolean; from: string; to: string; more?: string[][] }>; holidays: string;
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function rulesFrom(settings: Record<string, unknown>): Rules {
  const routing = obj(settings.routing);
  const sla = obj(settings.sla);
  const hours = settings.businessHours ? obj(settings.businessHours) : null;
  const week = obj(hours?.week);
  const ranges = (d: Day) => (Array.isArray(week[d]) ? (week[d] as unknown[]).filter((r): r is string[] => Array.isArray(r)) : []);
  const firstRange = (d: Day) => ranges(d)[0] ?? null;
  return {
    mode: str(routing.mode) || 'manual', passAfter: str(routing.passAfterSeconds), maxOpen: str(routing.maxOpenPerManager),
    first: str(sla.firstResponseSeconds), reply: str(sla.replySeconds),
    hoursOn: !!hours, timeZone: str(hours?.timeZone) || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    week: Object.fromEntries(days.map((d) => {
      const r = firstRange(d);
      // The form edits a day's first range; the others (a lunch break splits a day in two) are kept as they are.
      return [d, hours ? { on: !!r, from: r?.[0] ?? '09:00', to: r?.[1] ?? '18:00', more: ranges(d).slice(1) } : { on: !['sat', 'sun'].includes(d), from: '09:00', to: '18:00' }];
    })) as Rules['week'],
    holidays: Array.isArray(hours?.holidays) ? (hours!.holidays as string[]).join(', ') : '',
  };
}

const num = (s: string) => (s.trim() === '' ? undefined : /^\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim());

/** The three settings to PATCH; an emptied one is sent as null (cleared). The routing order, set through the API, is kept. */
export function rulesToSettings(r: Rules, original: Record<string, unknown>): Record<string, unknown> {
  const routing: Record<string, unknown> = { mode: r.mode };
  if (num(r.passAfter) !== undefined) routing.passAfterSeconds = num(r.passAfter);
  if (num(r.maxOpen) !== undefined) routing.maxOpenPerManager = num(r.maxOpen);
  const order = obj(original.routing).order;
  // Only ids go back: an order saved through the API before the server checked it may hold other values, which would
  // make every save of this form a 400 on a field the form does not show.
  if (Array.isArray(order)) routing.order = order.filter((id) => Number.isInteger(id) && (id as number) > 0);
  const sla: Record<string, unknown> = {};
  if (num(r.first) !== undefined) sla.firstResponseSeconds = num(r.first);
  if (num(r.reply) !== undefined) sla.replySeconds = num(r.reply);
  const businessHours = !r.hoursOn ? null : {
    timeZone: r.timeZone.trim() || 'UTC',
    week: Object.fromEntries(days.filter((d) => r.week[d].on).map((d) => [d, [[r.week[d].from, r.week[d].to], ...(r.week[d].more ?? [])]])),
    holidays: r.holidays.split(',').map((h) => h.trim()).filter(Boolean),
  };
  return { routing, sla: Object.keys(sla).length ? sla : null, businessHours };
}

export function RulesFields({ rules, onChange, errors }: { rules: Rules; onChange: (r: Rules) => void; errors: string[] }) {
  const { t } = useI18n();
  const set = (patch: Partial<Rules>) => onChange({ ...rules, ...patch });
  const setDay = (d: Day, patch: Partial<Rules['week'][Day]>) => set({ week: { ...rules.week, [d]: { ...rules.week[d], ...patch } } });
  return (
    <div className="rules-fields">
      <fieldset>
        <legend>{t('chRouting')}</legend>
        <label>{t('chRoutingMode')}
          <select value={rules.mode} onChange={(e) => set({ mode: e.target.value })}>
            {modes.map((m) => <option key={m} value={m}>{t(`chMode_${m}` as StringKey)}</option>)}
          </select>
        </label>
        <label>{t('chPassAfter')} <input inputMode="numeric" value={rules.passAfter} onChange={(e) => set({ passAfter: e.target.value })} /></label>
        <label>{t('chMaxOpen')} <input inputMode="numeric" value={rules.maxOpen} onChange={(e) => set({ maxOpen: e.target.value })} /></label>
      </fieldset>
      <fieldset>
        <legend>{t('chSla')}</legend>
        <label>{t('chFirstResponse')} <input inputMode="numeric" value={rules.first} onChange={(e) => set({ first: e.target.value })} /></label>
        <label>{t('chReplyWithin')} <input inputMode="numeric" value={rules.reply} onChange={(e) => set({ reply: e.target.value })} /></label>
      </fieldset>
      <fieldset>
        <legend>{t('chHours')}</legend>
        <label className="toggle"><input type="checkbox" checked={rules.hoursOn} onChange={(e) => set({ hoursOn: e.target.checked })} /> {t('chHoursOn')}</label>
        {rules.hoursOn && (
          <>
            <label>{t('chTimeZone')} <input value={rules.timeZone} list="cc-time-zones" onChange={(e) => set({ timeZone: e.target.value })} /></label>
            <datalist id="cc-time-zones">
              {['Europe/Moscow', 'Europe/Kaliningrad', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Novosibirsk', 'Asia/Vladivostok', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'UTC']
                .map((z) => <option key={z} value={z} />)}
            </datalist>
            <div className="week">
              {days.map((d) => {
                const day = t(`chDay_${d}` as StringKey);
                return (
                  <div key={d} className="day row">
                    <label className="toggle"><input type="checkbox" checked={rules.week[d].on} aria-label={t('chWorkingDay', { day })}
                      onChange={(e) => setDay(d, { on: e.target.checked })} /> {day}</label>
                    <input type="time" aria-label={t('chFrom', { day })} value={rules.week[d].from} disabled={!rules.week[d].on} onChange={(e) => setDay(d, { from: e.target.value })} />
                    <input type="time" aria-label={t('chTo', { day })} value={rules.week[d].to} disabled={!rules.week[d].on} onChange={(e) => setDay(d, { to: e.target.value })} />
                  </div>
                );
              })}
            </div>
            <label>{t('chHolidays')} <input value={rules.holidays} placeholder="2026-12-31, 2027-01-01" onChange={(e) => set({ holidays: e.target.value })} /></label>
          </>
        )}
      </fieldset>
      {errors.length > 0 && <p className="error" role="alert">{errors.join(' ')}</p>}
    </div>
  );
}

import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog';
import { useI18n } from '../../i18n';
import { body, client, type Schemas } from '../../api/client';
import { describeError } from '../../lib/errors';
import type { StringKey } from '../../strings';
import type { Id } from '../../types';

const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The schedule being edited: the document's `WeekSchedule` with every field filled in (a stored one has all four). */
type Schedule = { [K in keyof Schemas['WeekSchedule']]-?: NonNullable<Schemas['WeekSchedule'][K]> };

/**
 * A manager's own working hours (`GET/PUT /api/users/{id}/working-hours`): automatic routing offers them nothing outside
 * them. Admins open it from the users list; a user may open it for themselves.
 */
export function WorkingHoursDialog({ userId, name, onClose }: { userId: Id; name: string; onClose: () => void }) {
  const { t } = useI18n();
  const path = useMemo(() => ({ id: Number(userId) }), [userId]);
  const [on, setOn] = useState(false);
  const [s, setS] = useState<Schedule>({
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const ctrl = new AbortController();
    body(client.GET('/api/users/{id}/working-hours', { params: { path }, signal: ctrl.signal }))
      .then((r) => { if (r.workingHours) { setOn(true); setS(r.workingHours as Schedule); } }, (e) => { if (!ctrl.signal.aborted) setError(describeError(e)); });
    return () => ctrl.abort();
  }, [path]);
  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      await client.PUT('/api/users/{id}/working-hours', { params: { path }, body: { workingHours: on ? { ...s } : null } });
      onClose();
    } catch (x) { setError(describeError(x)); } finally { setBusy(false); }
  }
  const toggleDay = (d: string, checked: boolean) => setS({ ...s, days: checked ? [...s.days, d] : s.days.filter((x) => x !== d) });
  return (
    <Dialog title={`${t('hrWorkingHours')}: ${name}`} onClose={onClose}>
      <form className="dialog-form working-hours" onSubmit={(e) => void save(e)}>
        <label className="toggle"><input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> {t('hrWorkingHoursOn')}</label>
        {on && (
          <>
            <label>{t('hrTimeZone')} <input value={s.timeZone} onChange={(e) => setS({ ...s, timeZone: e.target.value })} /></label>
            <fieldset style={{ display: 'flex', flexWrap: 'wrap', gap: '.5rem', border: 0, padding: 0 }}>
              <legend>{t('hrDays')}</legend>
              {days.map((d) => (
                <label key={d} className="toggle"><input type="checkbox" checked={s.days.includes(d)} onChange={(e) => toggleDay(d, e.target.checked)} />
                  {' '}{t(`chDay_${d}` as StringKey)}</label>
              ))}
            </fieldset>
            <div className="row" style={{ flexWrap: 'wrap' }}>
              <label>{t('hrFrom')} <input type="time" value={s.from} onChange={(e) => setS({ ...s, from: e.target.value })} /></label>
              <label>{t('hrTo')} <input type="time" value={s.to} onChange={(e) => setS({ ...s, to: e.target.value })} /></label>
            </div>
          </>
        )}
        {error && <p className="error" role="alert">{error}</p>}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>{t('cancel')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('save')}</button>
        </div>
      </form>
    </Dialog>
  );
}

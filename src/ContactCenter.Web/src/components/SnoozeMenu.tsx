import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { body as answer, client } from '../api/client';
import type { ConversationDetails } from '../types';
import './inboxFilters.css';

interface Props { conversationId: string; onSnoozed: (d: ConversationDetails) => void; onError: (message: string) => void }

/** A local date-time for `<input type="datetime-local">`. */
const localInput = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

/** Today 18:00, or tomorrow's when that has passed. */
function tonight(now: Date): Date {
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 18, 0);
  return at > now ? at : new Date(at.getFullYear(), at.getMonth(), at.getDate() + 1, 18, 0);
}

/**
 * The thread header's Snooze button (shortcut `snooze`): presets, or a date and time. "Next morning" is the server's
 * (the channel's business hours), the others are times in the browser's zone.
 */
export function SnoozeMenu({ conversationId, onSnoozed, onError }: Props) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [custom, setCustom] = useState('');
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => { document.removeEventListener('mousedown', close); document.removeEventListener('keydown', close); };
  }, [open]);

  async function snooze(body: { until: string } | { preset: 'nextMorning' }) {
    try {
      const d = await answer(client.POST('/api/conversations/{id}/snooze', { params: { path: { id: Number(conversationId) } }, body }));
      setOpen(false);
      onSnoozed(d);
    } catch (e) {
      onError((e as Error).message);
    }
  }
  const at = (d: Date) => void snooze({ until: d.toISOString() });

  return (
    <div className="snooze-menu" ref={root}>
      <button type="button" data-shortcut="snooze" aria-haspopup="true" aria-expanded={open}
        onClick={() => { setOpen((o) => !o); setCustom(localInput(new Date(Date.now() + 3 * 3600_000))); }}>
        {t('snooze')}
      </button>
      {open && (
        <div className="snooze-options" role="menu" aria-label={t('snoozeFor')}>
          <button type="button" role="menuitem" onClick={() => at(new Date(Date.now() + 3600_000))}>{t('snoozeHour')}</button>
          {/* Past 18:00 the option is tomorrow's evening, and says so (it said "Tonight" and snoozed for a day). */}
          <button type="button" role="menuitem" onClick={() => at(tonight(new Date()))}>
            {t(tonight(new Date()).getDate() === new Date().getDate() ? 'snoozeTonight' : 'snoozeTomorrowEvening')}
          </button>
          <button type="button" role="menuitem" onClick={() => void snooze({ preset: 'nextMorning' })}>{t('snoozeNextMorning')}</button>
          <button type="button" role="menuitem" onClick={() => at(new Date(Date.now() + 7 * 86400_000))}>{t('snoozeNextWeek')}</button>
          <form className="snooze-custom" onSubmit={(e) => { e.preventDefault(); if (custom) at(new Date(custom)); }}>
            <label>
              <span>{t('snoozeCustom')}</span>
              <input type="datetime-local" value={custom} min={localInput(new Date())} onChange={(e) => setCustom(e.target.value)} />
            </label>
            <div className="dialog-buttons">
              <button type="submit" className="primary">{t('snoozeApply')}</button>
              <button type="button" onClick={() => setOpen(false)}>{t('snoozeCancel')}</button>
            </div>
          </form>
        </div>
      )}
    </div>
  );
}

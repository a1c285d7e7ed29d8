import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { api, query } from '../../lib/api';
import { explain } from '../../lib/errors';
import { shortTime } from '../../lib/format';
import { timelineReason, timelineType } from '../../lib/timelineText';
import type { Schemas } from '../../api/client';
import type { Page } from './contactsApi';

type TimelineEntry = Schemas['TimelineEntryDto'];

/** A feed of timeline entries (newest first, "More" pages by cursor). */
export function Timeline({ url }: { url: string }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<TimelineEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async (cursor: string | null) => {
    try {
      const page = await api<Page<TimelineEntry>>(`${url}${query({ cursor, limit: 50 })}`);
      setItems((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (e) {
      setError(explain(e, t));
    }
  }, [url, t]);
  useEffect(() => { void load(null); }, [load]);

  const text = (e: TimelineEntry) => {
    const d = e.data as Record<string, string | undefined>;
    if (e.type === 'contactsMerged') return t('tl_contactsMerged', { merged: d.mergedContactName ?? '', name: d.contactName ?? '' });
    const label = timelineType(e.type, t);
    const body = d.text ?? d.preview ?? d.title ?? (d.reason ? timelineReason(d.reason, t) : '');
    return body ? `${label}: ${body}` : label;
  };
  return (
    <>
      {error && <p className="error" role="alert">{error}</p>}
      <ol className="contact-timeline" data-testid="contact-timeline">
        {items.map((e) => (
          <li key={String(e.id)} data-type={e.type}>
            <span className="muted">{shortTime(e.at, locale)} · {e.actor.name ?? ''}</span>
            <div className="wrap-anywhere">{text(e)}</div>
          </li>
        ))}
      </ol>
      {items.length === 0 && !error && <p className="muted">{t('timelineEmpty')}</p>}
      {next && <button type="button" onClick={() => void load(next)}>{t('contactsMore')}</button>}
    </>
  );
}

import { useCursorPages } from '../../api/useCursorPages';
import { useI18n } from '../../i18n';
import { explain } from '../../lib/errors';
import { shortTime } from '../../lib/format';
import { timelineReason, timelineType } from '../../lib/timelineText';
import type { Schemas } from '../../api/client';

type TimelineEntry = Schemas['TimelineEntryDto'];

/** A feed of timeline entries (newest first, "More" pages by cursor; useCursorPages). */
export function Timeline({ url }: { url: string }) {
  const { t, locale } = useI18n();
  const pages = useCursorPages<TimelineEntry>(url, '');
  const items = pages.items;
  const error = pages.error ? explain(pages.error, t) : null;

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
            <span className="muted">{shortTime(e.at, locale)} · {e.actor.type === 'system' ? t('actorSystem') : e.actor.name ?? ''}</span>
            <div className="wrap-anywhere">{text(e)}</div>
          </li>
        ))}
      </ol>
      {items.length === 0 && !error && !pages.loading && <p className="muted">{t('timelineEmpty')}</p>}
      {pages.hasMore && <button type="button" onClick={pages.more} disabled={pages.loading}>{t('contactsMore')}</button>}
    </>
  );
}

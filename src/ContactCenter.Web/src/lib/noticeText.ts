// Notices the server stores as an English sentence in UTC plus its facts: a notification's `data`, a system note's
// `metadata`. The app words the known ones from the facts in the user's language and time zone; anything else (an
// unknown kind, a notice stored before its facts were) shows the server's sentence.
import type { Translate } from '../i18n';
import { labelOf } from '../strings';
import type { AppNotification, Message } from '../types';
import { dayTime, fullTime } from './format';

/** `timeZone` and `now` pin the clock for tests; the app leaves them to the browser (the user's local time). */
export interface NoticeTime { timeZone?: string; now?: Date }

/** A notification's sentence for the bell and the desktop notification. */
export function notificationText(n: Pick<AppNotification, 'kind' | 'text' | 'data'>, t: Translate, locale: string, time: NoticeTime = {}): string {
  const d = n.data;
  if (!d) return n.text;
  switch (n.kind) {
    case 'activity_due':
    case 'activity_overdue':
      return d.title != null && d.dueAt
        ? t(n.kind === 'activity_due' ? 'notice_activity_due' : 'notice_activity_overdue', { time: dayTime(d.dueAt, locale, time), title: d.title })
        : n.text;
    case 'assigned':
      if (!d.contact || !d.channel) return n.text;
      return d.by
        ? t('notice_assigned_by', { by: d.by, contact: d.contact, channel: d.channel })
        : t('notice_assigned_routed', { contact: d.contact, channel: d.channel });
    case 'mention':
      return d.by && d.contact ? t('notice_mention', { by: d.by, contact: d.contact, preview: d.preview ?? '' }) : n.text;
    case 'sla_breach': {
      if (!d.contact || !d.channel || !d.sla || d.waitedMinutes == null) return n.text;
      const words = { sla: labelOf(t, 'sla_', d.sla), contact: d.contact, channel: d.channel, minutes: d.waitedMinutes };
      return d.assignee ? t('notice_sla_assigned', { ...words, assignee: d.assignee }) : t('notice_sla_unassigned', words);
    }
    default:
      return n.text; // automation: the rule author's own words
  }
}

/**
 * "Ann mentioned Bob and Eve: now participants of this conversation." from who mentioned and the names added (one a line),
 * as a system note's metadata and a `participants` timeline entry's data carry them.
 */
export function participantsText(byName: string, added: string, t: Translate, locale: string): string {
  const names = added.split('\n');
  return t(names.length === 1 ? 'notice_participant' : 'notice_participants', { by: byName, names: new Intl.ListFormat(locale, { type: 'conjunction' }).format(names) });
}

/** Connectors' notices: fixed sentences, nothing to fill in. */
const fixedNotices = new Set(['telegram.blocked', 'telegram.unblocked', 'telegram.deactivated', 'vk.denied', 'vk.allowed']);

/** A system note's sentence from its metadata, or null when the note is not one the app words itself (show its text). */
export function systemNoticeText(m: Pick<Message, 'direction' | 'sender' | 'metadata'>, t: Translate, locale: string, time: NoticeTime = {}): string | null {
  const meta = m.metadata;
  if (m.direction !== 'note' || m.sender.type !== 'system' || !meta?.notice) return null;
  switch (meta.notice) {
    case 'snoozed':
      return meta.until && meta.byName ? t('notice_snoozed', { time: fullTime(meta.until, locale, time.timeZone), name: meta.byName }) : null;
    case 'unsnoozed':
      if (meta.reason === 'time') return t('notice_unsnoozed_time');
      if (meta.reason === 'inbound') return t('notice_unsnoozed_inbound');
      return meta.reason === 'manual' && meta.status && meta.byName
        ? t('notice_unsnoozed_manual', { name: meta.byName, status: labelOf(t, 'status_', meta.status) })
        : null;
    case 'participants':
      return meta.byName && meta.added ? participantsText(meta.byName, meta.added, t, locale) : null;
    case 'csat':
      // Notes from before `csatComment` was stored keep their text (their comment is only in it).
      if (!meta.csatRating || meta.csatComment === undefined) return null;
      return meta.csatComment
        ? t('notice_csat_comment', { rating: meta.csatRating, comment: meta.csatComment })
        : t('notice_csat', { rating: meta.csatRating });
    default:
      return fixedNotices.has(meta.notice) ? labelOf(t, 'notice_', meta.notice) : null;
  }
}

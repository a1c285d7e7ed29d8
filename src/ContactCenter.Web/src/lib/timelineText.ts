// Words for timeline entries (deal and lead cards, the contact's card): the server's type and reason codes, translated.
import type { StringKey } from '../strings';
import type { Translate } from '../i18n';

const typeKeys: Record<string, StringKey> = {
  message: 'timeline_message', comment: 'timeline_comment', stageChanged: 'timeline_stageChanged', activity: 'timeline_activity',
  created: 'timeline_created', converted: 'timeline_converted', closed: 'timeline_closed', automation: 'timeline_automation',
  updated: 'timeline_updated', reopened: 'timeline_reopened', junked: 'timeline_junked', contactsMerged: 'timeline_contactsMerged',
  call: 'timeline_call',
};

/** Codes the server writes as an entry's `reason` (loss reasons are people's own words and stay as written). */
const reasonKeys: Record<string, StringKey> = { conversationAssigned: 'timeline_conversationAssigned' };

/** The entry type's name in the user's language; an unknown (newer) type as the server wrote it. */
export const timelineType = (type: string, t: Translate) => (type in typeKeys ? t(typeKeys[type]) : type);

/** A `reason`: a known code in the user's language, anything else as written. */
export const timelineReason = (reason: string, t: Translate) => (reason in reasonKeys ? t(reasonKeys[reason]) : reason);


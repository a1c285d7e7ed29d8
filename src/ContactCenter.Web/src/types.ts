// Shapes of the API as the browser sees them: aliases of the OpenAPI document's schemas (docs/openapi.json ->
// src/api/schema.d.ts, generated in the build), the hub events' payloads among them (lib/realtime.ts). Where the
// document says less than the browser relies on (a role's three values, a free JSON object), the alias narrows it.
// Ids are opaque: compare them with sameId().
import type { components } from './api/schema';

type Schemas = components['schemas'];
export type Id = number | string;
export const sameId = (a: Id | null | undefined, b: Id | null | undefined) => a != null && b != null && String(a) === String(b);

export type Role = 'admin' | 'supervisor' | 'manager';
/** The signed-in user (POST /api/auth/login, GET /api/auth/me). */
export type User = Omit<Schemas['AuthApiUserDto'], 'role'> & { role: Role };
export type Session = Omit<Schemas['LoginResponse'], 'user'> & { user: User };

export interface Ref { id: Id; name: string }
export type LastMessage = Omit<Schemas['LastMessage'], 'direction'> & { direction: Direction };
export type ConversationStatus = 'open' | 'pending' | 'resolved' | 'snoozed';
/** Hub `conversationUpdated` and the inbox lists' rows. */
export type ConversationSummary = Schemas['ConversationSummary'];
/** A label (issue #16): a name and a #rrggbb colour. */
export type Label = Schemas['LabelRef'];
export type ContactIdentity = Schemas['ContactIdentityDto'];
export type ContactDetails = Schemas['ContactDetails'];
/** GET /api/conversations/{id}; `possibleDuplicate`: a contact the same email/phone belongs to (an unverified visitor), when the caller may see it. */
export type ConversationDetails = Schemas['ConversationDetails'];

export type Direction = 'inbound' | 'outbound' | 'note';
export type MessageStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
export type Attachment = Schemas['AttachmentDto'];
/**
 * Hub `messageCreated`/`messageUpdated` and the thread's items. The thread also holds the browser's own copy of a
 * message while its POST is on its way (`pending`, with a local id until the server answers), hence `Id` ids.
 */
export type Message = Omit<Schemas['MessageDto'], 'id' | 'conversationId'> & {
  id: Id; conversationId: Id; pending?: boolean;
  /** On a local copy: the newest server message id the thread held when it was sent (its twin comes after it). */
  after?: number;
};
/** A phone call (telephony channel), on a message and on a `call` timeline entry. */
export type Call = Schemas['CallDto'];
export type Counters = Schemas['Counters'];
/** One keyset page of any list (the document's `PageOf...` schemas, one per item type, are this shape). */
export interface Page<T> { items: T[]; nextCursor: string | null }
/** Hub `typing`: `userId` 0 and `customer` when the customer types (a web chat visitor). */
export type TypingEvent = Schemas['TypingEvent'];

/** A row of GET /api/users. */
export type UserListItem = Schemas['UsersApiUserDto'];
/** One row of GET /api/admin/audit; `before`/`after` are the subject's fields as JSON (null when created/removed). */
export type AuditEntry = Schemas['AuditItem'];
/** A channel as its admin sees it; `archivedAt` is set when archived (switched off and hidden from the default list). */
export type Channel = Omit<Schemas['ChannelDto'], 'public' | 'settings'> & { public: Record<string, unknown>; settings: Record<string, unknown> };

// CRM (API.md "CRM"): fields beyond the contract are read when present, never required.
export type Stage = Schemas['StageDto'];
export type Pipeline = Schemas['PipelineDto'];
/** Hub `dealUpdated` and the board's cards. */
export type DealCard = Schemas['DealCard'];
export type BoardColumn = Schemas['BoardStage'];
export type Board = Schemas['Board'];
export type ActivityRef = Schemas['ActivityRef'];
export type Lead = Schemas['LeadDto'];
export type ActivityType = 'call' | 'meeting' | 'task' | 'email';
/** A row of GET /api/activities (`type` is one of ActivityType, `subject.type` 'lead' or 'deal': plain strings in the document). */
export type Activity = Schemas['ActivityDto'];
/** An entry of a deal's, lead's or contact's timeline; `data` is free JSON (its members depend on `type`). */
export type TimelineEntry = Schemas['TimelineEntryDto'];
/** A timeline entry's `data` as an object (the document types it as any JSON). */
export const timelineData = (e: TimelineEntry): Record<string, unknown> =>
  (e.data && typeof e.data === 'object' ? e.data as Record<string, unknown> : {});
export type LossReason = Schemas['LossReasonDto'];
/** A row of GET /api/stats/response-times: the overall figures, or a manager's (`userId`) or a channel's (`channelId`). */
export type StatsRow = Schemas['ResponseStats'] & { name?: string; userId?: number; channelId?: number };
/** Hub `queueChanged` and GET /api/stats/queue. */
export type QueueStats = Schemas['QueueStats'];
/** Hub `slaBreached`. */
export type SlaBreach = Schemas['SlaBreach'];
/** Hub `notificationsRead`: `all`, or these ids, were marked read (on any of the user's devices); `unread` is what is left. */
export type NotificationsRead = Schemas['NotificationsRead'];
/** Hub `importProgress`: the caller's own CSV import (issue #17). */
export type ImportProgress = Schemas['ImportProgress'];

/** An item of the notification centre (GET /api/notifications, hub event `notification`). */
export type AppNotification = Schemas['NotificationItem'];

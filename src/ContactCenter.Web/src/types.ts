// Shapes of the API as the browser sees them. Those that are schemas of the OpenAPI document (docs/openapi.json ->
// src/api/schema.d.ts) are aliases of the generated types; the rest are hand-kept (hub events, looser CRM reads).
// Ids are opaque: compare them with sameId().
import type { components } from './api/schema';

type Schemas = components['schemas'];
export type Id = number | string;
export const sameId = (a: Id | null | undefined, b: Id | null | undefined) => a != null && b != null && String(a) === String(b);

export type Role = 'admin' | 'supervisor' | 'manager';
export interface User { id: Id; name: string; email: string; role: Role }
export interface Session { accessToken: string; expiresAt: string; user: User }

export interface ChannelRef { id: Id; kind: string; name: string }
export interface Ref { id: Id; name: string }
export interface LastMessage { id: Id; direction: Direction; preview: string; createdAt: string }
export type ConversationStatus = 'open' | 'pending' | 'resolved' | 'snoozed';
export interface ConversationSummary {
  id: Id; channel: ChannelRef; contact: Ref; status: ConversationStatus; assignee: Ref | null;
  unreadCount: number; lastMessage: LastMessage | null; waitingSince: string | null;
  leadId: Id | null; dealId: Id | null; createdAt: string; updatedAt: string;
  /** When a snoozed conversation opens again by itself (issue #16). */
  snoozedUntil?: string | null;
  labels?: Label[];
}
/** A label (issue #16): a name and a #rrggbb colour. */
export type Label = Schemas['LabelRef'];
export interface ContactIdentity { channelKind: string; address: string; displayName: string | null; username: string | null }
export interface ContactDetails { id: Id; name: string; email: string | null; phone: string | null; identities: ContactIdentity[]; labels?: Label[] }
export interface ConversationDetails extends Omit<ConversationSummary, 'contact'> {
  contact: ContactDetails;
  /** A contact the same email/phone belongs to (an unverified visitor); only when the caller may see it. */
  possibleDuplicate?: { contactId: Id; name: string };
}

export type Direction = 'inbound' | 'outbound' | 'note';
export type MessageStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
export type Attachment = Schemas['AttachmentDto'];
export interface Message {
  id: Id; conversationId: Id; direction: Direction; text: string | null; html: string | null;
  attachments: Attachment[]; sender: { type: 'contact' | 'user' | 'system'; id: Id | null; name: string };
  status: MessageStatus; error: string | null; externalId: string | null; createdAt: string;
  /** The message this one answers (API-EXTENSIONS), when known. */
  replyToId?: Id | null;
  /** Set on the browser's own copy while the POST is on its way. */
  pending?: boolean;
  /** `call` for a phone call (then `call` is set). */
  kind?: 'call' | null;
  call?: Call | null;
}
/** A phone call (telephony channel), on a message and on a `call` timeline entry. */
export interface Call {
  direction: 'inbound' | 'outbound'; from: string; to: string; startedAt: string | null; durationSeconds: number | null;
  answeredBy: string | null; answeredByUserId: Id | null; missed: boolean; status: string; recordingAttachmentId: Id | null;
}
export interface CallStats { from: string; to: string; managers: { userId: Id; name: string; answered: number; missed: number; outbound: number; talkSeconds: number }[] }
export type Counters = Schemas['Counters'];
export interface Page<T> { items: T[]; nextCursor: string | null }
export interface TypingEvent { conversationId: Id; userId: Id; name: string }

export interface UserListItem { id: Id; email: string; name: string; role: Role; isActive: boolean; channelIds: Id[]; createdAt?: string }
/** One row of GET /api/admin/audit; `before`/`after` are the subject's fields as JSON (null when created/removed). */
export interface AuditEntry {
  id: Id; at: string; actorId: Id | null; action: string; subjectType: string | null; subjectId: Id | null;
  before: unknown; after: unknown;
}
export interface AuditPage { items: AuditEntry[]; nextCursor: string | null }
export interface Channel {
  id: Id; kind: string; name: string; enabled: boolean; public: Record<string, unknown>;
  settings: Record<string, unknown>; secretsSet: string[]; statusError: string | null; memberIds: Id[];
  /** Set when archived (switched off and hidden from the default list). */
  archivedAt?: string | null;
}

// CRM (API.md "CRM"): fields beyond the contract are read when present, never required.
export interface Stage { id: Id; name: string; order: number; semantic: 'open' | 'won' | 'lost' }
export interface Pipeline { id: Id; name: string; isDefault: boolean; stages: Stage[] }
export interface DealCard {
  id: Id; title: string; amount?: number | null; currency?: string | null;
  assignee?: Ref | null; contact?: Ref | null; stageId?: Id; pipelineId?: Id; outcome?: string | null; nextActivity?: { id: Id; title: string; dueAt: string } | null;
}
export interface BoardColumn { stageId: Id; name: string; count: number; totalAmount: number; deals: DealCard[] }
export interface Board { stages: BoardColumn[] }
export interface ActivityRef { id: Id; type: ActivityType; title: string; dueAt: string }
export interface Deal extends DealCard {
  pipelineId: Id; stage?: Stage; closedAt?: string | null; outcome?: string | null; lossReason?: LossReason | null;
  nextActivity?: ActivityRef | null; leadId?: Id | null;
  /** Custom field values by key (issue #17). */
  fields?: Record<string, string | number | boolean | string[] | null>;
}
export interface Lead {
  id: Id; title: string; status: string; assignee?: Ref | null; contact?: Ref | null; junkReason?: string | null;
  dealId?: Id | null; nextActivity?: ActivityRef | null;
  /** Custom field values by key (issue #17). */
  fields?: Record<string, string | number | boolean | string[] | null>;
}
export type ActivityType = 'call' | 'meeting' | 'task' | 'email';
export interface Activity {
  id: Id; type: ActivityType; title: string; dueAt: string; state?: string;
  completedAt?: string | null; assignee?: Ref | null; subject?: { type: 'lead' | 'deal'; id: Id; title?: string | null };
}
export interface TimelineEntry { id: Id; type: string; at: string; actor?: { type?: string; id?: Id; name?: string } | string | null; data?: Record<string, unknown> | null }
export type LossReason = Schemas['LossReasonDto'];
export interface Stat { count: number; median: number | null; p90: number | null; withinTargetShare?: number | null; businessMedian?: number | null }
export interface StatsRow { conversations: number; firstResponse: Stat; reply: Stat; resolution: Stat; userId?: Id; name?: string; channelId?: Id; channel?: ChannelRef | string }
export interface ResponseTimes { overall: StatsRow; byUser: StatsRow[]; byChannel: StatsRow[] }
export interface QueueStats {
  waiting: { conversationId: Id; channel: ChannelRef | string; waitingSince: string; waitingSeconds: number; slaBreachedAt?: string | null; contact?: Ref; preview?: string }[];
  longestWaitSeconds: number; online: { userId: Id; name: string; openConversations: number }[];
  /** Open conversations past their SLA target, assigned or not (absent on servers before it was added). */
  breaches?: { conversationId: Id; channel: ChannelRef; waitingSince: string; waitingSeconds: number; kind: string; assignee: Ref | null; contact?: Ref; preview?: string }[];
}
export interface SlaBreach { conversationId: Id; waitingSeconds: number; kind?: string; assignee: Ref | null }

/** An item of the notification centre (GET /api/notifications, hub event `notification`). */
export interface AppNotification {
  id: Id; kind: 'assigned' | 'mention' | 'activity_due' | 'activity_overdue' | 'sla_breach' | 'automation'; text: string;
  conversationId?: Id | null; dealId?: Id | null; leadId?: Id | null; activityId?: Id | null; createdAt: string; readAt: string | null;
}

// One SignalR connection to /hubs/inbox per signed-in tab. It never gives up: automatic reconnects with
// exponential backoff (and jitter), then, if SignalR stops on its own, fresh starts with the same backoff.
// After any reconnect it emits `resync`, and views re-read through REST what they may have missed. Views that
// push-follow something make their first REST read after the connection has joined its groups (`whenJoined`),
// so nothing pushed between that read and the join is missed.
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';
import type { Schemas } from '../api/client';
import { ConversationRevisions } from './conversationRevisions';

/**
 * The server's events (IInboxClient) and their payloads: the server's own records, component schemas of the OpenAPI
 * document (HubPayloadsTransformer puts every one there, HubPayloadSchemaTests fails when one is missing), generated
 * into src/api/schema.d.ts with the REST types.
 */
export interface HubEvents {
  messageCreated: Schemas['MessageDto'];
  messageUpdated: Schemas['MessageDto'];
  conversationUpdated: Schemas['ConversationSummary'];
  /** The caller can no longer see the conversation (reassigned away); `assignee` says to whom. */
  conversationRemoved: Schemas['ConversationRef'];
  /** One step on the caller's chain of counters (lib/countersChain.ts). */
  countersChanged: Schemas['CountersChange'];
  typing: Schemas['TypingEvent'];
  activityDue: Schemas['ActivityDto'];
  queueChanged: Schemas['QueueStats'];
  slaBreached: Schemas['SlaBreach'];
  dealUpdated: Schemas['DealCard'];
  leadUpdated: Schemas['LeadDto'];
  /** A deal the caller saw was handed to a colleague: out of their sight now. */
  dealRemoved: Schemas['CrmRemoved'];
  /** A lead the caller saw was handed to a colleague: out of their sight now. */
  leadRemoved: Schemas['CrmRemoved'];
  /** A new item of the caller's notification centre. */
  notification: Schemas['NotificationItem'];
  /** Progress of the caller's own CSV import (issue #17). */
  importProgress: Schemas['ImportProgress'];
  /** The user marked notifications read on another device (or this one): `all`, or these ids; `unread` is what is left. */
  notificationsRead: Schemas['NotificationsRead'];
  /** Emitted by the client after a reconnect, and by the server when it may have dropped events. */
  resync: Schemas['ResyncEvent'];
}
type EventName = keyof HubEvents;
type Handler<E extends EventName> = (payload: HubEvents[E]) => void;

export type LinkState = 'connecting' | 'connected' | 'reconnecting';
export interface LinkStatus { state: LinkState; attempt: number; everConnected: boolean }

export function backoffDelay(attempt: number, random = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.75 + random() * 0.5));
}

export class Realtime {
  private connection: HubConnection;
  private handlers = new Map<EventName, Set<Handler<EventName>>>();
  private statusListeners = new Set<() => void>();
  private lostListeners = new Set<() => void>();
  private stopped = false;
  private restartTimer: number | undefined;
  private restartAttempt = 0;
  status: LinkStatus = { state: 'connecting', attempt: 0, everConnected: false };
  private markJoined: () => void = () => undefined;
  private readonly firstJoin = new Promise<void>((resolve) => { this.markJoined = resolve; });
  private readBeforeJoin = false;
  private readonly revisions = new ConversationRevisions();

  constructor(tokenFactory: () => string | null, url = '/hubs/inbox') {
    this.connection = new HubConnectionBuilder()
      .withUrl(url, { accessTokenFactory: () => tokenFactory() ?? '' })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => backoffDelay(ctx.previousRetryCount) })
      .configureLogging(LogLevel.Warning)
      .build();
    this.connection.serverTimeoutInMilliseconds = 20_000;
    this.connection.keepAliveIntervalInMilliseconds = 7_000;
    const names: EventName[] = ['messageCreated', 'messageUpdated', 'conversationUpdated', 'conversationRemoved',
      'countersChanged', 'typing', 'activityDue', 'queueChanged', 'slaBreached', 'dealUpdated', 'leadUpdated', 'dealRemoved', 'leadRemoved', 'notification', 'importProgress', 'notificationsRead', 'resync'];
    for (const name of names) this.connection.on(name, (payload: unknown) => this.receive(name, payload as never));
    this.connection.onreconnecting(() => { this.setStatus({ state: 'reconnecting', attempt: this.status.attempt + 1 }); this.lost(); });
    this.connection.onreconnected(() => void this.joined());
    this.connection.onclose(() => { this.scheduleRestart(); this.lost(); });
  }

  start() {
    this.stopped = false;
    void this.tryStart();
  }

  async stop() {
    this.stopped = true;
    window.clearTimeout(this.restartTimer);
    await this.connection.stop();
  }

  on<E extends EventName>(name: E, handler: Handler<E>): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler as Handler<EventName>);
    return () => set!.delete(handler as Handler<EventName>);
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Called when the link drops or a (re)start fails. The server closes the hub connections of a revoked token (a
   * deactivated user, a password change, "sign out everywhere"), and SignalR cannot tell that from a network failure:
   * the listener asks REST, whose 401 ends the session.
   */
  onLinkLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /**
   * Resolves once the connection has joined its groups for the first time. If that takes longer than `timeoutMs`
   * (the hub is down), it resolves anyway so the view can show what REST has, and `resync` follows the first join.
   */
  async whenJoined(timeoutMs = 3000): Promise<void> {
    if (this.status.everConnected) return;
    let timer: number | undefined;
    const late = await Promise.race([
      this.firstJoin.then(() => false),
      new Promise<boolean>((resolve) => { timer = window.setTimeout(() => resolve(true), timeoutMs); }),
    ]);
    window.clearTimeout(timer);
    if (late) this.readBeforeJoin = true;
  }

  get isConnected() { return this.connection.state === HubConnectionState.Connected; }

  /** Invokes a hub method; returns false when not connected (the caller then uses REST). */
  async invoke(method: 'MarkRead' | 'Typing', ...args: unknown[]): Promise<boolean> {
    if (!this.isConnected) return false;
    try { await this.connection.invoke(method, ...args); return true; } catch { return false; }
  }

  /** Test hook: drops the socket as a network failure would. */
  dropForTest() {
    const transport = (this.connection as unknown as { connection?: { transport?: { _webSocket?: WebSocket } } }).connection?.transport;
    transport?._webSocket?.close(4000, 'test drop');
  }

  /**
   * A server event to the handlers, except a conversation's summary older than one (or a removal) already heard, or read
   * before the change a `resync` announced: no handler (cache, notices) ever sees it, so a stale summary cannot bring back
   * a conversation or clear a notice.
   */
  private receive<E extends EventName>(name: E, payload: HubEvents[E]) {
    if (name === 'conversationUpdated') {
      const c = payload as HubEvents['conversationUpdated'];
      if (!this.revisions.admit(c.id, c.revision, c.audienceVersion)) return;
    } else if (name === 'conversationRemoved') {
      const r = payload as HubEvents['conversationRemoved'];
      this.revisions.removed(r.id, r.revision);
    } else if (name === 'resync') {
      this.revisions.resynced((payload as HubEvents['resync']).audienceVersion);
    }
    this.emit(name, payload);
  }

  private emit<E extends EventName>(name: E, payload: HubEvents[E]) {
    for (const h of this.handlers.get(name) ?? []) {
      try { (h as Handler<E>)(payload); } catch (e) { console.error(e); }
    }
  }

  private setStatus(patch: Partial<LinkStatus>) {
    this.status = { ...this.status, ...patch };
    for (const l of this.statusListeners) l();
  }

  /** The handshake is answered before the server joins this connection's groups; `Ready` is answered after. */
  private async joined() {
    try { await this.connection.invoke('Ready'); } catch { /* an older server: carry on */ }
    this.connected();
  }

  private connected() {
    const wasConnected = this.status.everConnected;
    this.restartAttempt = 0;
    this.setStatus({ state: 'connected', attempt: 0, everConnected: true });
    if (wasConnected) this.emit('resync', { reason: 'reconnected' });
    else {
      this.markJoined();
      if (this.readBeforeJoin) this.emit('resync', { reason: 'joined' });
    }
  }

  private async tryStart() {
    if (this.stopped) return;
    if (this.connection.state === HubConnectionState.Disconnecting) {
      // A stop is still finishing (React's development double mount): start once it has.
      window.clearTimeout(this.restartTimer);
      this.restartTimer = window.setTimeout(() => void this.tryStart(), 100);
      return;
    }
    if (this.connection.state !== HubConnectionState.Disconnected) return;
    try {
      await this.connection.start();
      await this.joined();
    } catch {
      this.scheduleRestart();
      this.lost();
    }
  }

  private lost() {
    if (this.stopped) return;
    for (const l of this.lostListeners) {
      try { l(); } catch (e) { console.error(e); }
    }
  }

  private scheduleRestart() {
    if (this.stopped) return;
    this.restartAttempt++;
    this.setStatus({ state: this.status.everConnected ? 'reconnecting' : 'connecting', attempt: this.status.attempt + 1 });
    window.clearTimeout(this.restartTimer);
    this.restartTimer = window.setTimeout(() => void this.tryStart(), backoffDelay(this.restartAttempt - 1));
  }
}

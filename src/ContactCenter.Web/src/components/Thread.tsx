import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../i18n';
import { body as answer, client as apiClient } from '../api/client';
import { ApiError } from '../lib/api';
import { writeEach } from '../lib/hubCache';
import { keys } from '../lib/queryClient';
import { applyMessage, newestId, pendingNotLanded, threadMessages, type ThreadPage, type ThreadPages } from '../lib/threadCache';
import { useConversation, useHubEvent, useLive } from '../live';
import { useMe } from '../session';
import { sameId, type ConversationDetails, type ConversationSummary, type Id, type Message, type Ref, type UserListItem } from '../types';
import { ChannelIcon } from './Icons';
import { Composer } from './Composer';
import { MessageItem } from './MessageItem';
import { ProfileButton } from './ProfileButton';
import { SnoozeMenu } from './SnoozeMenu';
import { fullTime } from '../lib/format';
import { LabelChips } from './labels/LabelChips';
import { LabelPicker } from './labels/LabelPicker';
import { labelOf } from '../strings';

/** The conversation left the caller's sight while open (a colleague took it): to whom, when the server said. */
export interface TakenAway { assignee: Ref | null }

/** Where a page of the thread starts: at a search hit, after a newer cursor, or before an older one. */
type PageParam = { around?: string | null; after?: string; cursor?: string };

interface Props {
  conversationId: string; summary: ConversationSummary | null;
  /** Set when the caller can no longer see it: the thread stays on screen read-only, with the draft reachable. */
  takenAway?: TakenAway | null; onClose?: () => void;
  /** Phone layout: back to the list, and the side panel as its own screen (the buttons show only on narrow screens). */
  onBack?: () => void; onPanel?: () => void;
  /** Open at this message (a search hit): the page around it, scrolled to it and highlighted; newer pages load on scrolling down. */
  focusMessageId?: string | null;
}

/**
 * An open conversation. Its details and messages are queries (`useConversation`, the thread's pages): hub events
 * write into them (lib/hubCache.ts); only the browser's own messages still on their way are kept here.
 */
export function Thread({ conversationId, summary, takenAway = null, onClose, onBack, onPanel, focusMessageId = null }: Props) {
  const { t, locale } = useI18n();
  const me = useMe();
  const { hub } = useLive();
  const client = useQueryClient();
  const detailsQuery = useConversation(conversationId);
  const details = detailsQuery.data ?? null;
  // Whom this screen last handed the conversation to: when it then leaves the caller's sight, the notice says
  // "you assigned it to <name>", not "<name> took it".
  const [handedTo, setHandedTo] = useState<string | null>(null);
  const thread = useInfiniteQuery({
    queryKey: keys.thread(conversationId, focusMessageId),
    queryFn: async ({ pageParam }): Promise<ThreadPage> => {
      await hub.whenJoined();
      const { around, after, cursor } = pageParam;
      const page = { limit: 50, around: around ? Number(around) : undefined, after, cursor };
      return answer(apiClient.GET('/api/conversations/{id}/messages', { params: { path: { id: Number(conversationId) }, query: page } }));
    },
    initialPageParam: { around: focusMessageId } as PageParam,
    getNextPageParam: (last): PageParam | undefined => (last.nextCursor ? { cursor: last.nextCursor } : undefined),
    getPreviousPageParam: (first): PageParam | undefined => (first.newerCursor ? { after: first.newerCursor } : undefined),
  });
  // The browser's own replies until the server has them (the POST's answer or their push replaces them).
  const [pending, setPending] = useState<Message[]>([]);
  const messages = useMemo(() => {
    const server = threadMessages(thread.data);
    return [...server, ...pendingNotLanded(server, pending, me.id)];
  }, [thread.data, pending, me.id]);
  // Opened at a search hit: scrolled to it once it is there, and the bottom is no place to stick to.
  const scrollTo = useRef<string | null>(focusMessageId);
  const [error, setError] = useState<string | null>(null);
  const [typing, setTyping] = useState<{ name: string; userId: Id; until: number } | null>(null);
  const [users, setUsers] = useState<UserListItem[]>([]);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const scroller = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(!focusMessageId);
  const lastMarked = useRef<string | null>(null);
  // A message came while the manager read older ones (scrolled up): they have not seen it, so it is not marked read, and
  // a button says it is there (it came in silently and was marked read, found by an outside review at 390x844).
  const [newBelow, setNewBelow] = useState(false);
  // The same as a ref, set in the layout effect that finds the message: the read mark of that render runs before the state.
  const unseen = useRef(false);
  const newestSeen = useRef<string | null>(null);
  const hadNewest = useRef(false);
  const seeNewest = useCallback(() => { unseen.current = false; setNewBelow(false); }, []);

  /** The server's copy of the conversation (an action's answer): the header's state, and the side panel's. */
  const show = useCallback((d: ConversationDetails) => client.setQueryData(keys.conversation(conversationId), d), [client, conversationId]);
  /** A message as the server has it now, into every cached page of this thread. */
  const write = useCallback((m: Message, created: boolean) =>
    writeEach<ThreadPages>(client, keys.messages(conversationId), (data) => applyMessage(data, m, created)), [client, conversationId]);

  // lib/api: the document names two records UserDto and describes this list with the other one (see docs/web-app.md).
  useEffect(() => { answer(apiClient.GET('/api/users')).then(setUsers).catch(() => setUsers([])); }, []);

  useHubEvent('messageCreated', (m) => {
    if (String(m.conversationId) !== conversationId) return;
    // Our own reply can be pushed before its POST answers: the cache has it now (lib/hubCache.ts), the local copy goes.
    if (m.sender.type === 'user' && sameId(m.sender.id, me.id)) {
      setPending((list) => {
        const i = list.findIndex((x) => x.direction === m.direction && x.text === m.text);
        return i >= 0 ? list.filter((_, n) => n !== i) : list;
      });
    }
    // The message the typist was writing has arrived: the customer's, or a colleague's reply or note.
    setTyping((now) => (now && (m.direction === 'inbound' ? !now.userId || sameId(now.userId, 0)
      : m.sender.type === 'user' && sameId(m.sender.id, now.userId)) ? null : now));
  });
  useHubEvent('typing', (e) => {
    if (String(e.conversationId) === conversationId && !sameId(e.userId, me.id)) setTyping({ name: e.name, userId: e.userId, until: Date.now() + 4000 });
  });

  useEffect(() => {
    if (!typing) return;
    const timer = window.setTimeout(() => setTyping(null), Math.max(0, typing.until - Date.now()));
    return () => window.clearTimeout(timer);
  }, [typing]);

  // The freshest state of the header: the cached details (first read, pushes, an action's answer), else the list's row.
  const current = useMemo<ConversationSummary | null>(
    () => (details ? { ...details, contact: { id: details.contact.id, name: details.contact.name } } : summary), [details, summary]);
  const olderCursor = thread.hasNextPage;
  const newerCursor = thread.hasPreviousPage;
  const byId = useMemo(() => new Map(messages.map((m) => [String(m.id), m])), [messages]);

  // Read state: sent while the conversation is on screen, up to the newest message, once per new message.
  const markRead = useCallback(() => {
    if (document.visibilityState !== 'visible' || !details || unseen.current) return;
    const newest = [...messages].reverse().find((m) => !m.pending);
    if (!newest) return;
    // Once per (newest message shown, newest message the server knows): a push cannot make it loop.
    const key = `${String(newest.id)}|${String(current?.lastMessage?.id ?? '')}`;
    if (lastMarked.current === key) return;
    lastMarked.current = key;
    void hub.invoke('MarkRead', details.id, newest.id).then((ok) => {
      if (!ok) return apiClient.POST('/api/conversations/{id}/read', { params: { path: { id: Number(conversationId) } }, body: { upToMessageId: Number(newest.id) } }).catch(() => undefined);
    });
  }, [messages, details, current, hub, conversationId, newBelow]); // newBelow: read again once the new message is seen

  useEffect(() => { markRead(); }, [markRead]);
  useEffect(() => {
    const onVisible = () => markRead();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => { document.removeEventListener('visibilitychange', onVisible); window.removeEventListener('focus', onVisible); };
  }, [markRead]);

  useLayoutEffect(() => {
    const el = scroller.current;
    const newest = [...messages].reverse().find((m) => !m.pending);
    const newestId = newest ? String(newest.id) : null;
    // A message that came (not a page of newer ones the manager scrolled to: the newest page was already here), written by
    // the customer or a colleague (not the manager's own reply or the note their own action made), and out of sight.
    const arrived = newestSeen.current !== null && newestId !== newestSeen.current && hadNewest.current && newest != null
      && (newest.direction === 'inbound' || (newest.sender.type === 'user' && !sameId(newest.sender.id, me.id)));
    newestSeen.current = newestId;
    hadNewest.current = !newerCursor;
    const target = scrollTo.current ? el?.querySelector(`[data-message-id="${CSS.escape(scrollTo.current)}"]`) : null;
    if (target) { scrollTo.current = null; target.scrollIntoView({ block: 'center' }); return; }
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
    const inSight = !el || el.scrollHeight - el.scrollTop - el.clientHeight < 60 + (el.lastElementChild?.clientHeight ?? 0);
    if (arrived && !stickToBottom.current && !inSight) {
      unseen.current = true;
      setNewBelow(true);
    }
  }, [messages, newerCursor, me.id]);

  function toNewest() {
    const el = scroller.current;
    stickToBottom.current = true;
    seeNewest();
    if (el) el.scrollTop = el.scrollHeight;
  }

  async function loadNewer() {
    if (!newerCursor || thread.isFetchingPreviousPage) return;
    const page = await thread.fetchPreviousPage();
    if (page.isError) setError(page.error.message);
  }

  async function loadOlder() {
    if (!olderCursor || thread.isFetchingNextPage) return;
    const el = scroller.current;
    const fromBottom = el ? el.scrollHeight - el.scrollTop : 0;
    stickToBottom.current = false;
    await thread.fetchNextPage();
    requestAnimationFrame(() => { if (el) el.scrollTop = el.scrollHeight - fromBottom; });
  }

  async function retry(m: Message) {
    try {
      await apiClient.POST('/api/messages/{id}/retry', { params: { path: { id: Number(m.id) } } });
      write({ ...m, status: 'queued', error: null }, false);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const params = { path: { id: Number(conversationId) } };
  const assign = (userId: number | null) =>
    change(() => apiClient.POST('/api/conversations/{id}/assign', { params, body: { userId } }), userId);
  const setStatus = (status: 'open' | 'resolved') => change(() => apiClient.POST('/api/conversations/{id}/status', { params, body: { status } }));

  /** `assignedTo`: the conversation was handed to this user (or unassigned: null). */
  async function change(send: () => Promise<unknown>, assignedTo?: number | null) {
    try {
      await send();
      setError(null);
      if (assignedTo !== undefined) setHandedTo(assignedTo != null && !sameId(assignedTo, me.id) ? String(assignedTo) : null);
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    // Read back what the server made of it (a resolve may also assign): the header shows that, push or no push.
    // A 404 here means the caller handed it to a colleague and no longer sees it: the removal push says so, not an error.
    await answer(apiClient.GET('/api/conversations/{id}', { params: { path: { id: Number(conversationId) } } })).then(show).catch(() => undefined);
  }

  const loadError = detailsQuery.error ?? thread.error;
  // A 404: a link to a conversation that is gone or someone else's (a reload after losing it, an old bookmark).
  const unavailable = !error && loadError instanceof ApiError && loadError.status === 404;
  const failed = error ?? (loadError && (unavailable ? t('conversationUnavailable') : loadError.message));
  if (!current) {
    return (
      <section className="thread" aria-label={t('thread')}>
        {onBack && <button type="button" className="narrow-back" onClick={onBack} aria-label={t('backToList')} data-testid="thread-back">←</button>}
        {unavailable
          ? <p className="notice" role="alert" data-testid="conversation-unavailable">{t('conversationUnavailable')}</p>
          : failed ? <p className="error" role="alert">{failed}</p> : <p className="muted">{t('loading')}</p>}
      </section>
    );
  }
  // Out of the caller's sight: the inbox page says how (a colleague took it, a resync's re-read answered 404); a 404 of
  // this thread's own read says so too (a listed copy from before the change), read-only, the draft kept, no raw error.
  const away: TakenAway | null = takenAway ?? (unavailable ? { assignee: null } : null);
  // Whom it can be handed to, as the server decides: active admins and supervisors, and the active members of its channel
  // (anyone else was offered and then refused). Whoever has it now is shown even when not one of them.
  const assignable = users.filter((u) => u.isActive && (u.role !== 'manager' || u.channelIds.some((c) => sameId(c, current.channel.id))));
  const resolved = current.status === 'resolved';
  // Mentioned into a colleague's conversation: read it and add notes; the assignee works it (the server refuses the rest).
  const participant = details?.participant === true;
  return (
    <section className="thread" aria-label={t('thread')}>
      <header className="thread-head">
        {onBack && <button type="button" className="narrow-back" onClick={onBack} aria-label={t('backToList')} data-testid="thread-back">←</button>}
        <div className="thread-title">
          <h2><ChannelIcon kind={current.channel.kind} /> {details?.contact.name ?? current.contact.name}</h2>
          <span className="muted">{current.channel.name} · <span data-testid="conversation-status">{labelOf(t, 'status_', current.status)}</span>
            {current.status === 'snoozed' && current.snoozedUntil && (
              <> · <span className="snoozed-until" data-testid="snoozed-until">{t('snoozedUntil', { time: fullTime(current.snoozedUntil, locale) })}</span></>
            )}</span>
          {away ? <LabelChips labels={current.labels} /> : <LabelPicker conversationId={conversationId} labels={current.labels} />}
        </div>
        {away || participant ? (
          <div className="actions">
            {participant && !away && <ProfileButton contactId={details?.contact.id ?? current.contact.id} contactName={details?.contact.name ?? current.contact.name}
              conversationId={conversationId} onSaved={() => void detailsQuery.refetch()} />}
            {participant && !away && onPanel && <button type="button" className="narrow-panel" onClick={onPanel} data-testid="open-panel">{t('showDetails')}</button>}
            {onClose && <button type="button" onClick={onClose}>{t('close')}</button>}
          </div>
        ) : (
        <div className="actions">
          <label>
            <span className="sr-only">{t('assignTo')}</span>
            <select aria-label={t('assignTo')} value={current.assignee ? String(current.assignee.id) : ''}
              onChange={(e) => void assign(e.target.value === '' ? null : Number(e.target.value))}>
              <option value="">{t('unassigned')}</option>
              {assignable.map((u) => <option key={String(u.id)} value={String(u.id)}>{u.name}</option>)}
              {current.assignee && !assignable.some((u) => sameId(u.id, current.assignee!.id)) &&
                <option value={String(current.assignee.id)}>{current.assignee.name}</option>}
            </select>
          </label>
          {!sameId(current.assignee?.id, me.id) && <button type="button" data-shortcut="assign-me" onClick={() => void assign(Number(me.id))}>{t('take')}</button>}
          {!resolved && <SnoozeMenu conversationId={conversationId} onSnoozed={show} onError={setError} />}
          {current.status === 'snoozed' && <button type="button" onClick={() => void setStatus('open')}>{t('unsnooze')}</button>}
          {resolved
            ? <button type="button" onClick={() => void setStatus('open')}>{t('reopen')}</button>
            : <button type="button" className="primary" data-shortcut="resolve" onClick={() => void setStatus('resolved')}>{t('resolve')}</button>}
          <ProfileButton contactId={details?.contact.id ?? current.contact.id} contactName={details?.contact.name ?? current.contact.name}
            conversationId={conversationId} onSaved={() => void detailsQuery.refetch()} />
          {onPanel && <button type="button" className="narrow-panel" onClick={onPanel} data-testid="open-panel">{t('showDetails')}</button>}
        </div>
        )}
      </header>
      {away && (
        <p className="notice" role="alert" data-testid="taken-away">
          {away.assignee
            ? t(sameId(away.assignee.id, handedTo) ? 'youAssignedTo' : 'takenBy', { name: away.assignee.name })
            : t('noLongerVisible')} {t('readOnlyDraftKept')}
        </p>
      )}
      {participant && !away && <p className="notice" role="status" data-testid="participant-notice">{t('participantNotice')}</p>}
      {failed && !away && <p className="error" role="alert">{t('errorGeneric', { reason: failed })}</p>}
      <ol className="messages" ref={scroller} aria-live="polite" aria-relevant="additions"
        onScroll={(e) => {
          const el = e.currentTarget;
          const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
          // Opened at a search hit: the newest messages are not loaded yet, so the bottom is no place to stick to.
          stickToBottom.current = nearBottom && !newerCursor;
          if (stickToBottom.current && unseen.current) seeNewest();
          if (el.scrollTop < 40 && olderCursor) void loadOlder();
          if (nearBottom && newerCursor) void loadNewer();
        }}>
        {olderCursor && <li className="older"><button type="button" onClick={() => void loadOlder()}>{t('olderMessages')}</button></li>}
        {messages.map((m) => (
          <MessageItem key={String(m.id)} message={m} onRetry={retry} onReply={setReplyTo} highlighted={focusMessageId === String(m.id)}
            repliedTo={m.replyToId != null ? byId.get(String(m.replyToId)) : undefined} />
        ))}
        {newerCursor && <li className="older"><button type="button" onClick={() => void loadNewer()}>{t('newerMessages')}</button></li>}
      </ol>
      {newBelow && (
        <button type="button" className="new-below" onClick={toNewest} data-testid="new-messages-below">{t('newMessagesBelow')} ↓</button>
      )}
      <div className="typing" aria-live="polite">{typing ? t('typing', { name: typing.name }) : ''}</div>
      <Composer readOnly={!!away} notesOnly={participant} conversationId={conversationId} serverId={details?.id ?? null} channelKind={current.channel.kind}
        replyTo={replyTo} onCancelReply={() => setReplyTo(null)}
        onOptimistic={(m) => { stickToBottom.current = true; setPending((list) => [...list, { ...m, after: newestId(threadMessages(thread.data)) }]); }}
        onSettled={(tempId: Id, real) => {
          if (real) write(real, true);
          setPending((list) => list.filter((x) => !sameId(x.id, tempId)));
        }} />
    </section>
  );
}

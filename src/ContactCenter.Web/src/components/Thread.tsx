import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { api, ApiError, query } from '../lib/api';
import { useHubEvent, useLive } from '../live';
import { useMe } from '../session';
import { sameId, type ConversationDetails, type ConversationSummary, type Message, type Page, type Ref, type UserListItem } from '../types';
import { ChannelIcon } from './Icons';
import { Composer } from './Composer';
import { MessageItem } from './MessageItem';
import { ProfileButton } from './ProfileButton';
import { SnoozeMenu } from './SnoozeMenu';
import { fullTime } from '../lib/format';
import { LabelChips } from './labels/LabelChips';
import { LabelPicker } from './labels/LabelPicker';
import { addCreated, byTime, upsertMessage } from '../lib/messageList';

/** The conversation left the caller's sight while open (a colleague took it): to whom, when the server said. */
export interface TakenAway { assignee: Ref | null }

interface Props {
  conversationId: string; summary: ConversationSummary | null; onDetails: (d: ConversationDetails | null) => void;
  /** Set when the caller can no longer see it: the thread stays on screen read-only, with the draft reachable. */
  takenAway?: TakenAway | null; onClose?: () => void;
  /** Phone layout: back to the list, and the side panel as its own screen (the buttons show only on narrow screens). */
  onBack?: () => void; onPanel?: () => void;
  /** Open at this message (a search hit): the page around it, scrolled to it and highlighted; newer pages load on scrolling down. */
  focusMessageId?: string | null;
}

export function Thread({ conversationId, summary, onDetails, takenAway = null, onClose, onBack, onPanel, focusMessageId = null }: Props) {
  const { t, locale } = useI18n();
  const me = useMe();
  const { hub } = useLive();
  const [details, setDetails] = useState<ConversationDetails | null>(null);
  // The freshest state of the header (status, assignee) from whatever came last: the first read, a push, a re-read
  // after an action. The list's row is not enough: it leaves the list when the conversation leaves the view.
  const [latest, setLatest] = useState<ConversationSummary | null>(null);
  // Whom this screen last handed the conversation to: when it then leaves the caller's sight, the notice says
  // "you assigned it to <name>", not "<name> took it".
  const [handedTo, setHandedTo] = useState<string | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [olderCursor, setOlderCursor] = useState<string | null>(null);
  const [newerCursor, setNewerCursor] = useState<string | null>(null);
  const scrollTo = useRef<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [typing, setTyping] = useState<{ name: string; until: number } | null>(null);
  const [users, setUsers] = useState<UserListItem[]>([]);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const scroller = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);
  const lastMarked = useRef<string | null>(null);

  /** The server's copy of the conversation: the header's state, and the side panel's. */
  const show = useCallback((d: ConversationDetails) => {
    setDetails(d);
    setLatest({ ...d, contact: { id: d.contact.id, name: d.contact.name } });
    onDetails(d);
  }, [onDetails]);

  const load = useCallback(async () => {
    try {
      await hub.whenJoined();
      const [d, page] = await Promise.all([
        api<ConversationDetails>(`/api/conversations/${encodeURIComponent(conversationId)}`),
        api<Page<Message> & { newerCursor?: string | null }>(`/api/conversations/${encodeURIComponent(conversationId)}/messages${query({ limit: 50, around: focusMessageId })}`),
      ]);
      if (focusMessageId) { stickToBottom.current = false; scrollTo.current = focusMessageId; }
      show(d);
      setMessages((old) => {
        // Keep the browser's own messages still on their way; the page replaces everything else.
        const pending = old.filter((m) => m.pending);
        return [...page.items.slice().sort(byTime), ...pending];
      });
      setOlderCursor(page.nextCursor);
      setNewerCursor(page.newerCursor ?? null);
      setError(null);
      lastMarked.current = null;
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? t('noConversations') : (e as Error).message);
    }
  }, [conversationId, show, t, hub, focusMessageId]);

  useEffect(() => { void load(); }, [load]);
  useEffect(() => { api<UserListItem[]>('/api/users').then(setUsers).catch(() => setUsers([])); }, []);

  useHubEvent('messageCreated', (m) => {
    if (String(m.conversationId) !== conversationId) return;
    // Our own reply can be pushed before its POST answers: it takes the place of the local copy.
    const mine = m.sender.type === 'user' && sameId(m.sender.id, me.id);
    setMessages((list) => {
      const i = mine ? list.findIndex((x) => x.pending && x.direction === m.direction && x.text === m.text) : -1;
      return addCreated(i >= 0 ? list.filter((_, n) => n !== i) : list, m);
    });
    if (m.direction === 'inbound') setTyping(null);
  });
  useHubEvent('messageUpdated', (m) => {
    if (String(m.conversationId) === conversationId) setMessages((list) => upsertMessage(list, m));
  });
  useHubEvent('conversationUpdated', (c) => {
    if (String(c.id) !== conversationId) return;
    setLatest(c);
    setDetails((d) => (d ? { ...d, ...c, contact: d.contact } : d));
  });
  useHubEvent('typing', (e) => {
    if (String(e.conversationId) === conversationId && !sameId(e.userId, me.id)) setTyping({ name: e.name, until: Date.now() + 4000 });
  });
  useHubEvent('resync', () => { void load(); });

  useEffect(() => {
    if (!typing) return;
    const timer = window.setTimeout(() => setTyping(null), Math.max(0, typing.until - Date.now()));
    return () => window.clearTimeout(timer);
  }, [typing]);

  const current = latest ?? summary;
  const byId = useMemo(() => new Map(messages.map((m) => [String(m.id), m])), [messages]);

  // Read state: sent while the conversation is on screen, up to the newest message, once per new message.
  const markRead = useCallback(() => {
    if (document.visibilityState !== 'visible' || !details) return;
    const newest = [...messages].reverse().find((m) => !m.pending);
    if (!newest) return;
    // Once per (newest message shown, newest message the server knows): a push cannot make it loop.
    const key = `${String(newest.id)}|${String(current?.lastMessage?.id ?? '')}`;
    if (lastMarked.current === key) return;
    lastMarked.current = key;
    void hub.invoke('MarkRead', details.id, newest.id).then((ok) => {
      if (!ok) return api(`/api/conversations/${encodeURIComponent(conversationId)}/read`, { body: { upToMessageId: newest.id } }).catch(() => undefined);
    });
  }, [messages, details, current, hub, conversationId]);

  useEffect(() => { markRead(); }, [markRead]);
  useEffect(() => {
    const onVisible = () => markRead();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => { document.removeEventListener('visibilitychange', onVisible); window.removeEventListener('focus', onVisible); };
  }, [markRead]);

  useLayoutEffect(() => {
    const el = scroller.current;
    const target = scrollTo.current ? el?.querySelector(`[data-message-id="${CSS.escape(scrollTo.current)}"]`) : null;
    if (target) { scrollTo.current = null; target.scrollIntoView({ block: 'center' }); return; }
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  async function loadNewer() {
    if (!newerCursor) return;
    const cursor = newerCursor;
    setNewerCursor(null);
    try {
      const page = await api<Page<Message> & { newerCursor: string | null }>(`/api/conversations/${encodeURIComponent(conversationId)}/messages${query({ limit: 50, after: cursor })}`);
      setMessages((list) => {
        const seen = new Set(list.map((m) => String(m.id)));
        return [...list, ...page.items.filter((m) => !seen.has(String(m.id)))].sort(byTime);
      });
      setNewerCursor(page.newerCursor);
    } catch (e) {
      setNewerCursor(cursor);
      setError((e as Error).message);
    }
  }

  async function loadOlder() {
    if (!olderCursor) return;
    const el = scroller.current;
    const fromBottom = el ? el.scrollHeight - el.scrollTop : 0;
    const page = await api<Page<Message>>(`/api/conversations/${encodeURIComponent(conversationId)}/messages${query({ limit: 50, cursor: olderCursor })}`);
    stickToBottom.current = false;
    setMessages((list) => {
      const seen = new Set(list.map((m) => String(m.id)));
      return [...page.items.filter((m) => !seen.has(String(m.id))), ...list].sort(byTime);
    });
    setOlderCursor(page.nextCursor);
    requestAnimationFrame(() => { if (el) el.scrollTop = el.scrollHeight - fromBottom; });
  }

  async function retry(m: Message) {
    try {
      await api(`/api/messages/${encodeURIComponent(String(m.id))}/retry`, { method: 'POST' });
      setMessages((list) => upsertMessage(list, { ...m, status: 'queued', error: null }));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function change(path: 'assign' | 'status', body: unknown) {
    try {
      await api(`/api/conversations/${encodeURIComponent(conversationId)}/${path}`, { body });
      setError(null);
      if (path === 'assign') {
        const to = (body as { userId: unknown }).userId;
        setHandedTo(to != null && !sameId(to as string, me.id) ? String(to) : null);
      }
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    // Read back what the server made of it (a resolve may also assign): the header shows that, push or no push.
    // A 404 here means the caller handed it to a colleague and no longer sees it: the removal push says so, not an error.
    await api<ConversationDetails>(`/api/conversations/${encodeURIComponent(conversationId)}`).then(show).catch(() => undefined);
  }

  if (!current) {
    return <section className="thread" aria-label={t('thread')}>{error ? <p className="error" role="alert">{error}</p> : <p className="muted">{t('loading')}</p>}</section>;
  }
  const resolved = current.status === 'resolved';
  return (
    <section className="thread" aria-label={t('thread')}>
      <header className="thread-head">
        {onBack && <button type="button" className="narrow-back" onClick={onBack} aria-label={t('backToList')} data-testid="thread-back">←</button>}
        <div className="thread-title">
          <h2><ChannelIcon kind={current.channel.kind} /> {details?.contact.name ?? current.contact.name}</h2>
          <span className="muted">{current.channel.name} · <span data-testid="conversation-status">{t(`status_${current.status}`)}</span>
            {current.status === 'snoozed' && current.snoozedUntil && (
              <> · <span className="snoozed-until" data-testid="snoozed-until">{t('snoozedUntil', { time: fullTime(current.snoozedUntil, locale) })}</span></>
            )}</span>
          {takenAway ? <LabelChips labels={current.labels} /> : <LabelPicker conversationId={conversationId} labels={current.labels} />}
        </div>
        {takenAway ? (
          <div className="actions">
            {onClose && <button type="button" onClick={onClose}>{t('close')}</button>}
          </div>
        ) : (
        <div className="actions">
          <label>
            <span className="sr-only">{t('assignTo')}</span>
            <select aria-label={t('assignTo')} value={current.assignee ? String(current.assignee.id) : ''}
              onChange={(e) => void change('assign', { userId: e.target.value === '' ? null : users.find((u) => String(u.id) === e.target.value)?.id ?? e.target.value })}>
              <option value="">{t('unassigned')}</option>
              {users.filter((u) => u.isActive).map((u) => <option key={String(u.id)} value={String(u.id)}>{u.name}</option>)}
              {current.assignee && !users.some((u) => sameId(u.id, current.assignee!.id)) &&
                <option value={String(current.assignee.id)}>{current.assignee.name}</option>}
            </select>
          </label>
          {!sameId(current.assignee?.id, me.id) && <button type="button" data-shortcut="assign-me" onClick={() => void change('assign', { userId: me.id })}>{t('take')}</button>}
          {!resolved && <SnoozeMenu conversationId={conversationId} onSnoozed={show} onError={setError} />}
          {current.status === 'snoozed' && <button type="button" onClick={() => void change('status', { status: 'open' })}>{t('unsnooze')}</button>}
          {resolved
            ? <button type="button" onClick={() => void change('status', { status: 'open' })}>{t('reopen')}</button>
            : <button type="button" className="primary" data-shortcut="resolve" onClick={() => void change('status', { status: 'resolved' })}>{t('resolve')}</button>}
          <ProfileButton contactId={details?.contact.id ?? current.contact.id} contactName={details?.contact.name ?? current.contact.name}
            conversationId={conversationId} onSaved={() => void load()} />
          {onPanel && <button type="button" className="narrow-panel" onClick={onPanel} data-testid="open-panel">{t('showDetails')}</button>}
        </div>
        )}
      </header>
      {takenAway && (
        <p className="notice" role="alert" data-testid="taken-away">
          {takenAway.assignee
            ? t(sameId(takenAway.assignee.id, handedTo) ? 'youAssignedTo' : 'takenBy', { name: takenAway.assignee.name })
            : t('noLongerVisible')} {t('readOnlyDraftKept')}
        </p>
      )}
      {error && <p className="error" role="alert">{t('errorGeneric', { reason: error })}</p>}
      <ol className="messages" ref={scroller} aria-live="polite" aria-relevant="additions"
        onScroll={(e) => {
          const el = e.currentTarget;
          const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
          // Opened at a search hit: the newest messages are not loaded yet, so the bottom is no place to stick to.
          stickToBottom.current = nearBottom && !newerCursor;
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
      <div className="typing" aria-live="polite">{typing ? t('typing', { name: typing.name }) : ''}</div>
      <Composer readOnly={!!takenAway} conversationId={conversationId} serverId={details?.id ?? null} channelKind={current.channel.kind}
        replyTo={replyTo} onCancelReply={() => setReplyTo(null)}
        onOptimistic={(m) => { stickToBottom.current = true; setMessages((list) => [...list, m]); }}
        onSettled={(tempId, real) => setMessages((list) => {
          const without = list.filter((x) => !sameId(x.id, tempId));
          return real ? addCreated(without, real) : without;
        })} />
    </section>
  );
}

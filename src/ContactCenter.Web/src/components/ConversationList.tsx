import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n';
import { fullTime, shortTime } from '../lib/format';
import { ChannelIcon } from './Icons';
import { LabelChips } from './labels/LabelChips';
import { sameId, type ConversationSummary, type Id } from '../types';

interface Props {
  items: ConversationSummary[]; selectedId: Id | null; loading: boolean; hasMore: boolean;
  onMore: () => void; onOpen: (id: Id) => void;
  /** Rows ticked for a bulk change (labels); no checkboxes without it. */
  checked?: ReadonlySet<string>; onCheck?: (id: string, on: boolean) => void;
}

/** The conversation list: arrow keys move, Enter opens; the next page loads when its end scrolls into view. */
export function ConversationList({ items, selectedId, loading, hasMore, onMore, onOpen, checked, onCheck }: Props) {
  const { t, locale } = useI18n();
  const sentinel = useRef<HTMLLIElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const more = useRef(onMore);
  more.current = onMore;

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore) return;
    const observer = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) more.current(); },
      { root: listRef.current, rootMargin: '200px' });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasMore, items.length]);

  function onKey(e: KeyboardEvent<HTMLUListElement>) {
    const options = Array.from(listRef.current?.querySelectorAll<HTMLElement>('[role="option"]') ?? []);
    const i = options.indexOf(document.activeElement as HTMLElement);
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(options.length - 1, i + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = options.length - 1;
    else if ((e.key === 'Enter' || e.key === ' ') && i >= 0) {
      e.preventDefault();
      onOpen(items[i].id);
      return;
    } else return;
    e.preventDefault();
    options[next]?.focus();
  }

  const focusIndex = Math.max(0, items.findIndex((c) => sameId(c.id, selectedId)));
  return (
    <ul className="conversations" role="listbox" aria-label={t('conversations')} ref={listRef} onKeyDown={onKey} aria-busy={loading}>
      {items.map((c, i) => {
        const selected = sameId(c.id, selectedId);
        const preview = c.lastMessage
          ? (c.lastMessage.direction === 'inbound' ? '' : `${t('you')}: `) + c.lastMessage.preview
          : t('noMessagesYet');
        return (
          <li key={String(c.id)} role="option" aria-selected={selected} tabIndex={i === focusIndex ? 0 : -1}
            className={`conversation ${selected ? 'selected' : ''} ${c.unreadCount > 0 ? 'unread' : ''}`}
            data-conversation-id={String(c.id)} onClick={() => onOpen(c.id)}>
            {onCheck && <input type="checkbox" className="row-check" aria-label={t('selectConversation', { name: c.contact.name })}
              checked={checked?.has(String(c.id)) ?? false} onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}
              onChange={(e) => onCheck(String(c.id), e.target.checked)} />}
            <span className={`channel-icon kind-${c.channel.kind}`} title={c.channel.name} aria-label={c.channel.name}><ChannelIcon kind={c.channel.kind} /></span>
            <span className="conv-main">
              <span className="conv-top">
                <span className="contact-name">{c.contact.name}</span>
                <time dateTime={c.lastMessage?.createdAt ?? c.createdAt}>{shortTime(c.lastMessage?.createdAt ?? c.createdAt, locale)}</time>
              </span>
              <span className="conv-bottom">
                <span className="preview">{preview}</span>
                {c.unreadCount > 0 && (
                  <span className="badge" data-testid="unread-badge" aria-label={t('unreadBadge', { count: c.unreadCount })}>{c.unreadCount}</span>
                )}
              </span>
              <span className="conv-meta">
                {c.assignee ? c.assignee.name : t('unassigned')} · {t(`status_${c.status}`)}
                {c.status === 'snoozed' && c.snoozedUntil && (
                  <> · <span className="snoozed-until">{t('snoozedUntil', { time: fullTime(c.snoozedUntil, locale) })}</span></>
                )}
              </span>
              <LabelChips labels={c.labels} />
            </span>
          </li>
        );
      })}
      {items.length === 0 && !loading && <li className="empty" role="presentation">{t('noConversations')}</li>}
      {hasMore && <li ref={sentinel} className="sentinel" role="presentation">
        <button type="button" onClick={onMore} disabled={loading}>{loading ? t('loading') : t('loadMore')}</button>
      </li>}
      {loading && !hasMore && items.length === 0 && <li className="empty" role="presentation">{t('loading')}</li>}
    </ul>
  );
}

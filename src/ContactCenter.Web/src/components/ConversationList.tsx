import { useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useI18n } from '../i18n';
import { fullTime, shortTime } from '../lib/format';
import { ChannelIcon } from './Icons';
import { LabelChips } from './labels/LabelChips';
import { sameId, type ConversationSummary, type Id } from '../types';
import { labelOf } from '../strings';
import { useMe } from '../session';
import { previewOf } from '../lib/inboxList';

interface Props {
  items: ConversationSummary[]; selectedId: Id | null; loading: boolean; hasMore: boolean;
  onMore: () => void; onOpen: (id: Id) => void;
  /** Rows ticked for a bulk change (labels); no checkboxes without it. */
  checked?: ReadonlySet<string>; onCheck?: (id: string, on: boolean) => void;
}

/**
 * The conversation list: arrow keys move, Enter opens; the next page loads when its end scrolls into view. Only the
 * rows near the viewport are rendered (@tanstack/react-virtual); each says its place among the loaded ones
 * (`aria-posinset` of `aria-setsize`), so assistive technology and tests see the whole list's size.
 */
export function ConversationList({ items, selectedId, loading, hasMore, onMore, onOpen, checked, onCheck }: Props) {
  const { t, locale } = useI18n();
  const me = useMe();
  const sentinel = useRef<HTMLLIElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const more = useRef(onMore);
  more.current = onMore;
  const virtualizer = useVirtualizer({
    count: items.length, getScrollElement: () => listRef.current, estimateSize: () => 72, overscan: 10,
    getItemKey: (i) => String(items[i].id),
  });
  const rows = virtualizer.getVirtualItems();
  // A row the keyboard moved to that was not rendered yet: focused once it is.
  const focusNext = useRef<number | null>(null);
  const scrolledTo = useRef<string | null>(null);
  const selectedIndex = items.findIndex((c) => sameId(c.id, selectedId));

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore || loading) return;
    const observer = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) more.current(); },
      { root: listRef.current, rootMargin: '200px' });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasMore, items.length, loading]);

  // The open conversation is scrolled into view when it changes (j/k, a link), once it is loaded.
  useEffect(() => {
    if (selectedIndex < 0 || scrolledTo.current === selectedId) return;
    scrolledTo.current = selectedId == null ? null : String(selectedId);
    virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedId, selectedIndex, virtualizer]);

  useLayoutEffect(() => {
    if (focusNext.current == null) return;
    const el = listRef.current?.querySelector<HTMLElement>(`[role="option"][data-index="${focusNext.current}"]`);
    if (el) { focusNext.current = null; el.focus(); }
  });

  function focusRow(index: number) {
    const el = listRef.current?.querySelector<HTMLElement>(`[role="option"][data-index="${index}"]`);
    if (el) { el.focus(); return; }
    focusNext.current = index;
    virtualizer.scrollToIndex(index, { align: 'auto' });
  }

  function onKey(e: KeyboardEvent<HTMLUListElement>) {
    const active = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[role="option"]');
    const i = active && listRef.current?.contains(active) ? Number(active.dataset.index) : -1;
    const last = items.length - 1;
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(last, i + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = last;
    else if ((e.key === 'Enter' || e.key === ' ') && i >= 0 && active === document.activeElement) {
      e.preventDefault();
      onOpen(items[i].id);
      return;
    } else return;
    e.preventDefault();
    if (next >= 0) focusRow(next);
  }

  // One tab stop: the open conversation's row, else the first rendered one.
  const wanted = Math.max(0, selectedIndex);
  const tabStop = rows.some((r) => r.index === wanted) ? wanted : rows[0]?.index;
  const before = rows[0]?.start ?? 0;
  const after = rows.length > 0 ? virtualizer.getTotalSize() - rows[rows.length - 1].end : 0;
  return (
    <ul className="conversations" role="listbox" aria-label={t('conversations')} ref={listRef} onKeyDown={onKey} aria-busy={loading}>
      {before > 0 && <li className="spacer" role="presentation" style={{ height: before }} />}
      {rows.map(({ index: i }) => {
        const c = items[i];
        const selected = sameId(c.id, selectedId);
        const preview = c.lastMessage ? previewOf(c.lastMessage, me.id, t('you'), t('previewFile')) : t('noMessagesYet');
        return (
          <li key={String(c.id)} role="option" aria-selected={selected} tabIndex={i === tabStop ? 0 : -1}
            aria-posinset={i + 1} aria-setsize={items.length} data-index={i} ref={virtualizer.measureElement}
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
                {c.assignee ? c.assignee.name : t('unassigned')} · {labelOf(t, 'status_', c.status)}
                {c.status === 'snoozed' && c.snoozedUntil && (
                  <> · <span className="snoozed-until">{t('snoozedUntil', { time: fullTime(c.snoozedUntil, locale) })}</span></>
                )}
              </span>
              <LabelChips labels={c.labels} />
            </span>
          </li>
        );
      })}
      {after > 0 && <li className="spacer" role="presentation" style={{ height: after }} />}
      {items.length === 0 && !loading && <li className="empty" role="presentation">{t('noConversations')}</li>}
      {hasMore && <li ref={sentinel} className="sentinel" role="presentation">
        <button type="button" onClick={onMore} disabled={loading}>{loading ? t('loading') : t('loadMore')}</button>
      </li>}
      {loading && !hasMore && items.length === 0 && <li className="empty" role="presentation">{t('loading')}</li>}
    </ul>
  );
}

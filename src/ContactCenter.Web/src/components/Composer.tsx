import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n';
import { api, ApiError, query } from '../lib/api';
import { newClientId, smsSegments } from '../lib/format';
import { useLive } from '../live';
import { useMe } from '../session';
import type { Id, Message } from '../types';

interface Props {
  conversationId: string; serverId: Id | null; channelKind: string;
  onOptimistic: (m: Message) => void; onSettled: (tempId: Id, real: Message | null) => void;
}

const draftKey = (id: string) => `cc.draft.${id}`;

/** Enter sends, Shift+Enter breaks the line. Drafts live in localStorage, so a reload or an expired session keeps them. */
export function Composer({ conversationId, serverId, channelKind, onOptimistic, onSettled }: Props) {
  const { t } = useI18n();
  const me = useMe();
  const { hub } = useLive();
  const [text, setText] = useState(() => localStorage.getItem(draftKey(conversationId)) ?? '');
  const [isNote, setIsNote] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [segments, setSegments] = useState<ReturnType<typeof smsSegments> | null>(null);
  const lastTyping = useRef(0);
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (text) localStorage.setItem(draftKey(conversationId), text); else localStorage.removeItem(draftKey(conversationId));
  }, [text, conversationId]);

  // SMS: the server's count when it has the route, the same rule computed here otherwise.
  useEffect(() => {
    if (channelKind !== 'sms' || isNote) { setSegments(null); return; }
    setSegments(smsSegments(text));
    if (!text) return;
    const ctrl = new AbortController();
    const timer = window.setTimeout(() => {
      api<ReturnType<typeof smsSegments>>(`/api/sms/segments${query({ text })}`, { signal: ctrl.signal })
        .then((s) => { if (s && typeof s.segments === 'number') setSegments(s); }).catch(() => undefined);
    }, 250);
    return () => { window.clearTimeout(timer); ctrl.abort(); };
  }, [text, channelKind, isNote]);

  function onChange(value: string) {
    setText(value);
    const now = Date.now();
    if (!isNote && serverId !== null && value && now - lastTyping.current > 3000) {
      lastTyping.current = now;
      void hub.invoke('Typing', serverId);
    }
  }

  async function send() {
    const body = text.trim();
    if (!body) return;
    const clientMessageId = newClientId();
    const tempId = `local-${clientMessageId}`;
    const note = isNote;
    onOptimistic({
      id: tempId, conversationId, direction: note ? 'note' : 'outbound', text: body, html: null, attachments: [],
      sender: { type: 'user', id: me.id, name: me.name }, status: 'queued', error: null, externalId: null,
      createdAt: new Date().toISOString(), pending: true,
    });
    setText('');
    setError(null);
    try {
      const message = await api<Message>(`/api/conversations/${encodeURIComponent(conversationId)}/messages`, {
        body: { text: body, clientMessageId, private: note },
      });
      onSettled(tempId, message);
    } catch (e) {
      const err = e as ApiError;
      if (err.status === 401) {
        // Session expired: keep the text for after sign-in.
        localStorage.setItem(draftKey(conversationId), body);
        onSettled(tempId, null);
        return;
      }
      onSettled(tempId, null);
      setText((current) => current || body);
      setError(t('replyFailed', { reason: err.message }));
    }
    area.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  return (
    <form className={`composer ${isNote ? 'note' : ''}`} aria-label={t('composer')} onSubmit={(e) => { e.preventDefault(); void send(); }}>
      <textarea ref={area} aria-label={isNote ? t('privateNote') : t('composer')} rows={3}
        placeholder={isNote ? t('notePlaceholder') : t('replyPlaceholder')} value={text}
        onChange={(e) => onChange(e.target.value)} onKeyDown={onKeyDown} />
      <div className="composer-bar">
        <label className="toggle">
          <input type="checkbox" checked={isNote} onChange={(e) => setIsNote(e.target.checked)} /> {t('privateNote')}
        </label>
        {segments && <span className="muted" data-testid="sms-segments">{t('smsSegments', { ...segments })}</span>}
        {error && <span className="error" role="alert">{error}</span>}
        <button type="submit" className="primary" disabled={!text.trim()}>{isNote ? t('addNote') : t('send')}</button>
      </div>
    </form>
  );
}

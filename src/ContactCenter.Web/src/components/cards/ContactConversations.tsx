import { useState } from 'react';
import { useI18n } from '../../i18n';
import { body, client, optionalId } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { explain } from '../../lib/errors';
import { useMe } from '../../session';
import type { Id } from '../../types';
import { ChannelIcon } from '../Icons';
import { Thread } from '../Thread';

/** Channel kinds whose provider lets a business write first (POST /api/conversations). */
const initiating = new Set(['email', 'sms', 'telegram', 'api']);

/** Every conversation the caller may see with the card's contact, one open at a time with its reply box; and "write first". */
export function ContactConversations({ contactId, subject }: { contactId: Id; subject: { dealId?: Id; leadId?: Id } }) {
  const { t } = useI18n();
  const profile = useApiGet('/api/contacts/{id}', { params: { path: { id: Number(contactId) } } });
  const [open, setOpen] = useState<string | null>(null);
  const conversations = profile.data?.conversations ?? [];
  const shown = open ?? (conversations[0] ? String(conversations[0].id) : null);
  return (
    <section className="card-conversations" aria-labelledby="card-conv-h">
      <h3 id="card-conv-h">{t('conversationsOfContact')}</h3>
      {conversations.length === 0 && profile.data && <p className="muted">{t('noConversationsYet')}</p>}
      {conversations.length > 0 && (
        <div className="chips" role="tablist">
          {conversations.map((c) => (
            <button key={String(c.id)} type="button" role="tab" aria-selected={String(c.id) === shown} className={`chip ${String(c.id) === shown ? 'active' : ''}`}
              onClick={() => setOpen(String(c.id))}><ChannelIcon kind={c.channelKind} /> {c.channelName}</button>
          ))}
        </div>
      )}
      {shown && (
        <div className="card-thread">
          <Thread key={shown} conversationId={shown} summary={null} />
        </div>
      )}
      <StartConversation contactId={contactId} subject={subject} onStarted={(id) => { setOpen(String(id)); void profile.reload(); }} />
    </section>
  );
}

function StartConversation({ contactId, subject, onStarted }: { contactId: Id; subject: { dealId?: Id; leadId?: Id }; onStarted: (id: Id) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const channels = useApiGet('/api/channels');
  const [shown, setShown] = useState(false);
  const [channelId, setChannelId] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const usable = (channels.data ?? []).filter((c) => initiating.has(c.kind) && c.enabled && !c.archivedAt
    && (me.role !== 'manager' || (c.memberIds ?? []).some((m) => String(m) === String(me.id))));
  if (!shown) return <button type="button" onClick={() => setShown(true)}>{t('startConversation')}</button>;
  return (
    <form className="start-conversation" onSubmit={async (e) => {
      e.preventDefault();
      const channel = usable.find((c) => String(c.id) === channelId);
      if (!channel) return;
      try {
        setError(null);
        const started = await body(client.POST('/api/conversations', { body: { contactId: Number(contactId), channelId: Number(channel.id), text, dealId: optionalId(subject.dealId), leadId: optionalId(subject.leadId) } }));
        setText(''); setShown(false); onStarted(started.id);
      } catch (err) { setError(explain(err, t)); }
    }}>
      <label className="field">{t('startChannel')}
        <select value={channelId} required onChange={(e) => setChannelId(e.target.value)}>
          <option value="" />
          {usable.map((c) => <option key={String(c.id)} value={String(c.id)}>{c.name} ({c.kind})</option>)}
        </select>
      </label>
      <label className="field">{t('startText')}<textarea value={text} required maxLength={20000} onChange={(e) => setText(e.target.value)} /></label>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="row">
        <button type="submit" className="primary">{t('startSend')}</button>
        <button type="button" onClick={() => setShown(false)}>{t('cancel')}</button>
      </div>
    </form>
  );
}

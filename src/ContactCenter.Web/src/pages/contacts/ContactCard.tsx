import { useCallback, useEffect, useState } from 'react';
import { CompanyPicker } from '../../components/CompanyPicker';
import { ContactForm } from '../../components/ContactProfile';
import { Dialog } from '../../components/Dialog';
import { CustomFieldsEditor } from '../../components/fields/CustomFieldsEditor';
import { ChannelIcon } from '../../components/Icons';
import { useI18n } from '../../i18n';
import { body, client } from '../../api/client';
import { ApiError } from '../../lib/api';
import { explain } from '../../lib/errors';
import { money, shortTime } from '../../lib/format';
import { Link } from 'react-router';
import type { Id } from '../../types';
import { Timeline } from './Timeline';
import { enc, type ContactCardData, type ContactRow } from './contactsApi';

/** `/contacts/{id}`: the person with identities on every channel, conversations, deals, leads, one timeline, edit and merge. */
export function ContactCard({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const [contact, setContact] = useState<ContactCardData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  const [version, setVersion] = useState(0);

  const load = useCallback(async () => {
    try {
      setContact(await body(client.GET('/api/contacts/{id}', { params: { path: { id: Number(id) } } })));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? t('noLongerVisible') : explain(e, t));
    }
  }, [id, t]);
  useEffect(() => { void load(); }, [load, version]);

  if (error) return <div className="page"><p className="error" role="alert">{error}</p></div>;
  if (!contact) return <div className="page"><p className="muted">{t('loading')}</p></div>;
  return (
    <div className="page contact-card" data-testid="contact-card">
      <div className="page-head">
        <Link to="/contacts" aria-label={t('back')}>←</Link>
        <h1 data-testid="contact-card-name" className="wrap-anywhere">{contact.name}</h1>
        <button type="button" onClick={() => setEditing(true)}>{t('profileEdit')}</button>
        <button type="button" onClick={() => setMerging(true)}>{t('contactMerge')}</button>
      </div>
      <div className="card-grid">
        <section>
          {editing
            ? <ContactForm profile={contact} onCancel={() => setEditing(false)} onSaved={() => { setEditing(false); setVersion((v) => v + 1); }} />
            : (
              <dl>
                <dt>{t('email')}</dt><dd className="wrap-anywhere">{contact.email ?? '—'}</dd>
                <dt>{t('phone')}</dt><dd>{contact.phone ?? '—'}</dd>
                <dt>{t('contactCompany')}</dt>
                <dd><CompanyPicker companyId={contact.companyId} companyName={contact.companyName} onPick={async (companyId) => {
                  await body(client.PATCH('/api/contacts/{id}', { params: { path: { id: Number(contact.id) } }, body: { companyId } }));
                  setVersion((v) => v + 1);
                }} /></dd>
              </dl>
            )}
          <CustomFieldsEditor entity="contact" values={contact.fields} onChange={async (fields) => {
            setContact(await body(client.PATCH('/api/contacts/{id}', { params: { path: { id: Number(id) } }, body: { fields } })));
          }} />
          <h2>{t('identities')}</h2>
          <ul className="identities">
            {contact.identities.map((i) => (
              <li key={`${i.channelKind}:${i.address}`}><ChannelIcon kind={i.channelKind} /> <span className="wrap-anywhere">{i.username ? `@${i.username}` : i.address}</span></li>
            ))}
          </ul>
          <h2>{t('profileConversations')}</h2>
          <ul className="profile-list" data-testid="contact-conversations">
            {contact.conversations.map((c) => (
              <li key={String(c.id)}><ChannelIcon kind={c.channelKind} /> <Link to={`/inbox/${enc(c.id)}`}>{c.channelName}</Link>
                <span className="muted"> · {c.assigneeName ?? t('unassigned')} · {shortTime(c.lastActivityAt, locale)}</span></li>
            ))}
            {contact.conversations.length === 0 && <li className="muted">{t('profileNone')}</li>}
          </ul>
          <h2>{t('profileDeals')}</h2>
          <ul className="profile-list">
            {contact.deals.map((d) => (
              <li key={String(d.id)}><Link to={`/deals/${enc(d.id)}`}><strong>{d.title}</strong></Link> <span className="muted">· {money(d.amount, locale, d.currency)} · {d.stageName}</span></li>
            ))}
            {contact.deals.length === 0 && <li className="muted">{t('profileNone')}</li>}
          </ul>
          <h2>{t('profileLeads')}</h2>
          <ul className="profile-list">
            {contact.leads.map((l) => <li key={String(l.id)}><Link to={`/leads/${enc(l.id)}`}><strong>{l.title}</strong></Link></li>)}
            {contact.leads.length === 0 && <li className="muted">{t('profileNone')}</li>}
          </ul>
        </section>
        <section>
          <h2>{t('contactTimeline')}</h2>
          <Timeline key={version} url={`/api/contacts/${enc(id)}/timeline`} />
        </section>
      </div>
      {merging && <MergeDialog contact={contact} onClose={() => setMerging(false)} onMerged={() => { setMerging(false); setVersion((v) => v + 1); }} />}
    </div>
  );
}

/** Picks another contact (search) and merges it into this one; the server refuses (404) unless the caller sees both. */
function MergeDialog({ contact, onClose, onMerged }: { contact: ContactCardData; onClose: () => void; onMerged: () => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ContactRow[]>([]);
  const [other, setOther] = useState<Id | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      body(client.GET('/api/contacts', { params: { query: { q: q || undefined, limit: 20 } } }))
        .then((p) => setFound(p.items.filter((c) => String(c.id) !== String(contact.id)))).catch((e) => setError(explain(e, t)));
    }, 200);
    return () => window.clearTimeout(timer);
  }, [q, contact.id, t]);
  async function merge() {
    if (other == null) return;
    try {
      await client.POST('/api/contacts/{id}/merge', { params: { path: { id: Number(contact.id) } }, body: { otherContactId: Number(other) } });
      onMerged();
    } catch (e) {
      setError(explain(e, t));
    }
  }
  return (
    <Dialog title={t('contactMergeTitle', { name: contact.name })} onClose={onClose}>
      <div className="dialog-form">
        <p className="muted">{t('contactMergeHelp')}</p>
        <input type="search" aria-label={t('contactsSearch')} placeholder={t('contactsSearch')} value={q} onChange={(e) => setQ(e.target.value)} />
        <fieldset className="merge-pick">
          <legend>{t('contactMergePick')}</legend>
          {found.map((c) => (
            <label key={String(c.id)} className="merge-option">
              <input type="radio" name="merge-other" checked={String(other) === String(c.id)} onChange={() => setOther(c.id)} />
              <span className="wrap-anywhere">{c.name} <span className="muted">{[c.email, c.phone].filter(Boolean).join(' · ')}</span></span>
            </label>
          ))}
        </fieldset>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="dialog-buttons">
          <button type="button" className="primary" disabled={other == null} onClick={() => void merge()}>{t('contactMergeConfirm')}</button>
          <button type="button" onClick={onClose}>{t('cancel')}</button>
        </div>
      </div>
    </Dialog>
  );
}

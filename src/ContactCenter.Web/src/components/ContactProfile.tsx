import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { body, client, type Schemas } from '../api/client';
import { ApiError } from '../lib/api';
import { money, shortTime } from '../lib/format';
import { useNavigate } from 'react-router';
import { sameId, type Id } from '../types';
import { ChannelIcon } from './Icons';
import { LabelPicker } from './labels/LabelPicker';
import './phone.css';

/** GET /api/contacts/{id}: the person, and only what the caller may see of their conversations, leads and deals. */
export type ContactProfileData = Schemas['ContactProfile'];

interface Props {
  contactId: Id;
  /** The conversation the profile was opened from (marked in the list rather than linked). */
  currentConversationId?: Id | null;
  onClose: () => void;
  /** After a saved edit, with the server's copy. */
  onSaved?: (p: ContactProfileData) => void;
}

/**
 * The contact profile, shared by the inbox and (later) the CRM screens: a drawer on wide screens, the whole screen on a
 * phone (phone.css). A native modal dialog, so focus stays inside and Escape closes it.
 */
export function ContactProfile({ contactId, currentConversationId = null, onClose, onSaved }: Props) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [profile, setProfile] = useState<ContactProfileData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => dialog?.close?.();
  }, []);

  // Closed while still in the page (before React removes it), so the browser gives the focus back to where it was.
  const close = () => { ref.current?.close?.(); onClose(); };

  const load = useCallback(async () => {
    try {
      setProfile(await body(client.GET('/api/contacts/{id}', { params: { path: { id: Number(contactId) } } })));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? t('noLongerVisible') : (e as Error).message);
    }
  }, [contactId, t]);
  useEffect(() => { void load(); }, [load]);

  return (
    <dialog ref={ref} className="profile-drawer" aria-labelledby={titleId} data-testid="contact-profile"
      onCancel={(e) => { e.preventDefault(); close(); }}>
      <header className="profile-head">
        <button type="button" className="back" onClick={close} aria-label={t('back')}>←</button>
        <h2 id={titleId}>{t('profileTitle')}</h2>
        <button type="button" className="close-x" onClick={close} aria-label={t('close')}>✕</button>
      </header>
      {error && <p className="error" role="alert">{error}</p>}
      {!profile && !error && <p className="muted">{t('loading')}</p>}
      {profile && (
        <div className="profile-body">
          {editing
            ? <ContactForm profile={profile} onCancel={() => setEditing(false)}
                onSaved={(p) => { setProfile(p); setEditing(false); onSaved?.(p); }} />
            : (
              <section>
                <p className="contact-name-big" data-testid="profile-name">{profile.name}</p>
                <dl>
                  <dt>{t('email')}</dt><dd>{profile.email ?? '—'}</dd>
                  <dt>{t('phone')}</dt><dd>{profile.phone ?? '—'}</dd>
                </dl>
                <button type="button" onClick={() => setEditing(true)}>{t('profileEdit')}</button>
              </section>
            )}
          <section className="profile-labels" data-testid="profile-labels">
            <h3>{t('labels')}</h3>
            <LabelPicker contactId={String(profile.id)} labels={profile.labels} />
          </section>
          <section>
            <h3>{t('identities')}</h3>
            <ul className="identities">
              {profile.identities.map((i) => (
                <li key={`${i.channelKind}:${i.address}`}><ChannelIcon kind={i.channelKind} /> <span className="wrap-anywhere">{i.username ? `@${i.username}` : i.address}</span>
                  {i.displayName && <span className="muted"> · {i.displayName}</span>}</li>
              ))}
            </ul>
          </section>
          <section>
            <h3>{t('profileConversations')}</h3>
            <ul className="profile-list">
              {profile.conversations.map((c) => (
                <li key={String(c.id)}>
                  <ChannelIcon kind={c.channelKind} />{' '}
                  {sameId(c.id, currentConversationId)
                    ? <span>{c.channelName} <span className="muted">({t('profileCurrent')})</span></span>
                    : <button type="button" className="link" onClick={() => { close(); navigate(`/inbox/${encodeURIComponent(String(c.id))}`); }}>{c.channelName}</button>}
                  <span className="muted"> · {t(`status_${c.status}` as 'status_open')} · {c.assigneeName ?? t('unassigned')} · {shortTime(c.lastActivityAt, locale)}</span>
                </li>
              ))}
              {profile.conversations.length === 0 && <li className="muted">{t('profileNoMore')}</li>}
            </ul>
          </section>
          <section>
            <h3>{t('profileDeals')}</h3>
            <ul className="profile-list">
              {profile.deals.map((d) => (
                <li key={String(d.id)}><strong>{d.title}</strong> <span className="muted">· {money(d.amount, locale, d.currency)} · {d.outcome ? t(`outcome_${d.outcome}` as 'outcome_won') : d.stageName}</span></li>
              ))}
              {profile.deals.length === 0 && <li className="muted">{t('profileNone')}</li>}
            </ul>
            <h3>{t('profileLeads')}</h3>
            <ul className="profile-list">
              {profile.leads.map((l) => (
                <li key={String(l.id)}><strong>{l.title}</strong> <span className="muted">· {t(`leadStatus_${l.status}` as 'leadStatus_new')}</span></li>
              ))}
              {profile.leads.length === 0 && <li className="muted">{t('profileNone')}</li>}
            </ul>
          </section>
        </div>
      )}
    </dialog>
  );
}

/** Name, email and phone; the server validates (a 400 names the field) and normalises the phone. */
export function ContactForm({ profile, onCancel, onSaved }: { profile: ContactProfileData; onCancel: () => void; onSaved: (p: ContactProfileData) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(profile.name);
  const [email, setEmail] = useState(profile.email ?? '');
  const [phone, setPhone] = useState(profile.phone ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function save() {
    setBusy(true);
    try {
      const saved = await body(client.PATCH('/api/contacts/{id}', { params: { path: { id: Number(profile.id) } }, body: { name, email, phone } }));
      setErrors({});
      onSaved(saved);
    } catch (e) {
      const err = e as ApiError;
      setErrors(err.errors ? Object.fromEntries(Object.entries(err.errors).map(([k, v]) => [k, v.join(' ')])) : { body: err.message });
    } finally {
      setBusy(false);
    }
  }

  const field = (key: 'name' | 'email' | 'phone', value: string, set: (v: string) => void, type: string, hint?: string) => (
    <label>
      <span>{t(key)}</span>
      <input type={type === 'email' ? 'text' : type} inputMode={type === 'email' ? 'email' : undefined} value={value} onChange={(e) => set(e.target.value)} aria-invalid={!!errors[key]}
        required={key === 'name'} placeholder={hint} autoFocus={key === 'name'} />
      {errors[key] && <span className="error" role="alert">{errors[key]}</span>}
    </label>
  );
  return (
    <form className="dialog-form profile-form" aria-label={t('profileEdit')} onSubmit={(e) => { e.preventDefault(); void save(); }}>
      {field('name', name, setName, 'text')}
      {field('email', email, setEmail, 'email')}
      {field('phone', phone, setPhone, 'tel', t('phoneHint'))}
      {errors.body && <p className="error" role="alert">{errors.body}</p>}
      <div className="dialog-buttons">
        <button type="submit" className="primary" disabled={busy}>{t('save')}</button>
        <button type="button" onClick={onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}

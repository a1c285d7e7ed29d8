import { useCallback, useEffect, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useI18n } from '../../i18n';
import { api, ApiError, query } from '../../lib/api';
import { explain } from '../../lib/errors';
import { Link, navigate } from '../../router';
import { enc, type ContactCardData, type ContactRow, type Page } from './contactsApi';

/** `/contacts`: search (name, email, phone) with keyset "More", a new contact, and the way to the CSV import. */
export function ContactsList() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<ContactRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async (search: string, cursor: string | null) => {
    try {
      const page = await api<Page<ContactRow>>(`/api/contacts${query({ q: search, cursor })}`);
      setRows((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(explain(e, t));
    }
  }, [t]);

  useEffect(() => {
    const timer = window.setTimeout(() => { void load(q, null); }, 250);
    return () => window.clearTimeout(timer);
  }, [q, load]);

  return (
    <div className="page contacts-page">
      <div className="page-head">
        <h1>{t('contactsTitle')}</h1>
        <input type="search" className="contacts-search" aria-label={t('contactsSearch')} placeholder={t('contactsSearch')} value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="button" className="primary" onClick={() => setCreating(true)}>{t('contactsNew')}</button>
        <Link to="/contacts/import" className="button-link">{t('contactsImport')}</Link>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <ul className="contacts-list" aria-label={t('contactsTitle')}>
        {rows.map((c) => (
          <li key={String(c.id)} data-testid="contact-row">
            <Link to={`/contacts/${enc(c.id)}`} className="contact-row-name">{c.name}</Link>
            <span className="muted wrap-anywhere">{[c.email, c.phone, c.companyName].filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ul>
      {rows.length === 0 && !error && <p className="muted">{t('contactsEmpty')}</p>}
      {next && <button type="button" onClick={() => void load(q, next)}>{t('contactsMore')}</button>}
      {creating && <NewContactDialog onClose={() => setCreating(false)} />}
    </div>
  );
}

function NewContactDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ name: '', email: '', phone: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  async function save() {
    try {
      const created = await api<ContactCardData>('/api/contacts', { body: form });
      onClose();
      navigate(`/contacts/${enc(created.id)}`);
    } catch (e) {
      const err = e as ApiError;
      setErrors(err.errors ? Object.fromEntries(Object.entries(err.errors).map(([k, v]) => [k, v.join(' ')])) : { body: err.message });
    }
  }
  const field = (key: 'name' | 'email' | 'phone', type: string) => (
    <label>
      <span>{t(key)}</span>
      <input type={type} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} aria-invalid={!!errors[key]} required={key === 'name'} />
      {errors[key] && <span className="error" role="alert">{errors[key]}</span>}
    </label>
  );
  return (
    <Dialog title={t('contactCreateTitle')} onClose={onClose}>
      <form className="dialog-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        {field('name', 'text')}
        {field('email', 'email')}
        {field('phone', 'tel')}
        {errors.body && <p className="error" role="alert">{errors.body}</p>}
        <div className="dialog-buttons">
          <button type="submit" className="primary">{t('contactCreate')}</button>
          <button type="button" onClick={onClose}>{t('cancel')}</button>
        </div>
      </form>
    </Dialog>
  );
}

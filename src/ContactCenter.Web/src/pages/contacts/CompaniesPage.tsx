import { useCallback, useEffect, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useI18n } from '../../i18n';
import { api, ApiError, query } from '../../lib/api';
import { explain } from '../../lib/errors';
import { money } from '../../lib/format';
import { Link, navigate } from '../../router';
import { CustomFieldsEditor } from '../../components/fields/CustomFieldsEditor';
import { enc, type Company, type CompanyRow, type Page } from './contactsApi';

/** `/companies` and `/companies/{id}`. */
export function CompaniesPage({ id }: { id: string | null }) {
  return id ? <CompanyCard id={id} /> : <CompaniesList />;
}

function CompaniesList() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<CompanyRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const load = useCallback(async (search: string, cursor: string | null) => {
    try {
      const page = await api<Page<CompanyRow>>(`/api/companies${query({ q: search, cursor })}`);
      setRows((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.nextCursor);
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
        <h1>{t('companiesTitle')}</h1>
        <input type="search" className="contacts-search" aria-label={t('companiesSearch')} placeholder={t('companiesSearch')} value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="button" className="primary" onClick={() => setCreating(true)}>{t('companiesNew')}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <ul className="contacts-list" aria-label={t('companiesTitle')}>
        {rows.map((c) => (
          <li key={String(c.id)} data-testid="company-row">
            <Link to={`/companies/${enc(c.id)}`} className="contact-row-name">{c.name}</Link>
            <span className="muted wrap-anywhere">{[c.email, c.phone, c.website].filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ul>
      {rows.length === 0 && !error && <p className="muted">{t('companiesEmpty')}</p>}
      {next && <button type="button" onClick={() => void load(q, next)}>{t('contactsMore')}</button>}
      {creating && <CompanyDialog onClose={() => setCreating(false)} onSaved={(c) => navigate(`/companies/${enc(c.id)}`)} />}
    </div>
  );
}

function CompanyCard({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const [company, setCompany] = useState<Company | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const load = useCallback(async () => {
    try {
      setCompany(await api<Company>(`/api/companies/${enc(id)}`));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? t('noLongerVisible') : explain(e, t));
    }
  }, [id, t]);
  useEffect(() => { void load(); }, [load]);
  if (error) return <div className="page"><p className="error" role="alert">{error}</p></div>;
  if (!company) return <div className="page"><p className="muted">{t('loading')}</p></div>;
  return (
    <div className="page contact-card" data-testid="company-card">
      <div className="page-head">
        <Link to="/companies" aria-label={t('back')}>←</Link>
        <h1 className="wrap-anywhere">{company.name}</h1>
        <button type="button" onClick={() => setEditing(true)}>{t('profileEdit')}</button>
      </div>
      <dl>
        <dt>{t('email')}</dt><dd className="wrap-anywhere">{company.email ?? '—'}</dd>
        <dt>{t('phone')}</dt><dd>{company.phone ?? '—'}</dd>
        <dt>{t('companyWebsite')}</dt><dd className="wrap-anywhere">{company.website ?? '—'}</dd>
        <dt>{t('companyAddress')}</dt><dd className="wrap-anywhere">{company.address ?? '—'}</dd>
      </dl>
      <CustomFieldsEditor entity="company" values={company.fields} onChange={async (fields) => {
        setCompany(await api<Company>(`/api/companies/${enc(id)}`, { method: 'PATCH', body: { fields } }));
      }} />
      <h2>{t('companyContacts')}</h2>
      <ul className="profile-list">
        {company.contacts.map((c) => <li key={String(c.id)}><Link to={`/contacts/${enc(c.id)}`}>{c.name}</Link> <span className="muted">{[c.email, c.phone].filter(Boolean).join(' · ')}</span></li>)}
        {company.contacts.length === 0 && <li className="muted">{t('profileNone')}</li>}
      </ul>
      <h2>{t('companyDeals')}</h2>
      <ul className="profile-list">
        {company.deals.map((d) => <li key={String(d.id)}><strong>{d.title}</strong> <span className="muted">· {money(d.amount, locale, d.currency)} · {d.stageName}</span></li>)}
        {company.deals.length === 0 && <li className="muted">{t('profileNone')}</li>}
      </ul>
      {editing && <CompanyDialog company={company} onClose={() => setEditing(false)} onSaved={(c) => { setCompany(c); setEditing(false); }} />}
    </div>
  );
}

function CompanyDialog({ company, onClose, onSaved }: { company?: Company; onClose: () => void; onSaved: (c: Company) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ name: company?.name ?? '', email: company?.email ?? '', phone: company?.phone ?? '', website: company?.website ?? '', address: company?.address ?? '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  async function save() {
    try {
      onSaved(await api<Company>(company ? `/api/companies/${enc(company.id)}` : '/api/companies', { method: company ? 'PATCH' : 'POST', body: form }));
    } catch (e) {
      const err = e as ApiError;
      setErrors(err.errors ? Object.fromEntries(Object.entries(err.errors).map(([k, v]) => [k, v.join(' ')])) : { body: err.message });
    }
  }
  const labels = { name: t('companyName'), email: t('email'), phone: t('phone'), website: t('companyWebsite'), address: t('companyAddress') };
  return (
    <Dialog title={company ? company.name : t('companyCreateTitle')} onClose={onClose}>
      <form className="dialog-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        {(Object.keys(labels) as (keyof typeof labels)[]).map((key) => (
          <label key={key}><span>{labels[key]}</span>
            <input value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} aria-invalid={!!errors[key]} required={key === 'name'} />
            {errors[key] && <span className="error" role="alert">{errors[key]}</span>}
          </label>
        ))}
        {errors.body && <p className="error" role="alert">{errors.body}</p>}
        <div className="dialog-buttons">
          <button type="submit" className="primary">{t('save')}</button>
          <button type="button" onClick={onClose}>{t('cancel')}</button>
        </div>
      </form>
    </Dialog>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useI18n } from '../../i18n';
import { body, client } from '../../api/client';
import { ApiError } from '../../lib/api';
import { explain, fieldErrors } from '../../lib/errors';
import { money } from '../../lib/format';
import { Link, useNavigate } from 'react-router';
import { CustomFieldsEditor } from '../../components/fields/CustomFieldsEditor';
import { enc, type Company, type CompanyRow } from './contactsApi';
import { SearchList } from './SearchList';

/** `/companies` and `/companies/{id}`. */
export function CompaniesPage({ id }: { id: string | null }) {
  return id ? <CompanyCard id={id} /> : <CompaniesList />;
}

function CompaniesList() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <SearchList<CompanyRow> url="/api/companies" cardPath="/companies" title={t('companiesTitle')} searchLabel={t('companiesSearch')} empty={t('companiesEmpty')} more={t('contactsMore')}
        rowTestId="company-row" details={(c) => [c.email, c.phone, c.website]}
        actions={<button type="button" className="primary" onClick={() => setCreating(true)}>{t('companiesNew')}</button>} />
      {creating && <CompanyDialog onClose={() => setCreating(false)} onSaved={(c) => navigate(`/companies/${enc(c.id)}`)} />}
    </>
  );
}

function CompanyCard({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const [company, setCompany] = useState<Company | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const load = useCallback(async () => {
    try {
      setCompany(await body(client.GET('/api/companies/{id}', { params: { path: { id: Number(id) } } })));
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
        <button type="button" onClick={() => setEditing(true)}>{t('companyEdit')}</button>
      </div>
      <dl>
        <dt>{t('email')}</dt><dd className="wrap-anywhere">{company.email ?? '—'}</dd>
        <dt>{t('phone')}</dt><dd>{company.phone ?? '—'}</dd>
        <dt>{t('companyWebsite')}</dt><dd className="wrap-anywhere">{company.website ?? '—'}</dd>
        <dt>{t('companyAddress')}</dt><dd className="wrap-anywhere">{company.address ?? '—'}</dd>
      </dl>
      <CustomFieldsEditor entity="company" values={company.fields} onChange={async (fields) => {
        setCompany(await body(client.PATCH('/api/companies/{id}', { params: { path: { id: Number(id) } }, body: { fields } })));
      }} />
      <h2>{t('companyContacts')}</h2>
      <ul className="profile-list">
        {company.contacts.map((c) => <li key={String(c.id)}><Link to={`/contacts/${enc(c.id)}`}>{c.name}</Link> <span className="muted">{[c.email, c.phone].filter(Boolean).join(' · ')}</span></li>)}
        {company.contacts.length === 0 && <li className="muted">{t('profileNone')}</li>}
      </ul>
      <h2>{t('companyDeals')}</h2>
      <ul className="profile-list">
        {company.deals.map((d) => <li key={String(d.id)}><Link to={`/deals/${enc(d.id)}`}><strong>{d.title}</strong></Link> <span className="muted">· {money(d.amount, locale, d.currency)} · {d.stageName}</span></li>)}
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
      onSaved(await body(company
        ? client.PATCH('/api/companies/{id}', { params: { path: { id: Number(company.id) } }, body: form })
        : client.POST('/api/companies', { body: form })));
    } catch (e) {
      setErrors(fieldErrors(e));
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

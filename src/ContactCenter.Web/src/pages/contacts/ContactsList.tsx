import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useI18n } from '../../i18n';
import { body, client } from '../../api/client';
import { fieldErrors } from '../../lib/errors';
import { Link, useNavigate } from 'react-router';
import { enc, type ContactRow } from './contactsApi';
import { SearchList } from './SearchList';

/** `/contacts`: search (name, email, phone) with keyset "More", a new contact, and the way to the CSV import. */
export function ContactsList() {
  const { t } = useI18n();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <SearchList<ContactRow> url="/api/contacts" cardPath="/contacts" title={t('contactsTitle')} searchLabel={t('contactsSearch')} empty={t('contactsEmpty')} more={t('contactsMore')}
        rowTestId="contact-row" details={(c) => [c.email, c.phone, c.companyName]}
        actions={<>
          <button type="button" className="primary" onClick={() => setCreating(true)}>{t('contactsNew')}</button>
          <Link to="/contacts/import" className="button-link">{t('contactsImport')}</Link>
        </>} />
      {creating && <NewContactDialog onClose={() => setCreating(false)} />}
    </>
  );
}

function NewContactDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', email: '', phone: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  async function save() {
    try {
      const created = await body(client.POST('/api/contacts', { body: form }));
      onClose();
      navigate(`/contacts/${enc(created.id)}`);
    } catch (e) {
      setErrors(fieldErrors(e));
    }
  }
  const field = (key: 'name' | 'email' | 'phone', type: string) => (
    <label>
      <span>{t(key)}</span>
      <input type={type === 'email' ? 'text' : type} inputMode={type === 'email' ? 'email' : undefined} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} aria-invalid={!!errors[key]} required={key === 'name'} />
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

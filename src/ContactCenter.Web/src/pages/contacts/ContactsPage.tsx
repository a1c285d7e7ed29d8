import { usePath } from '../../router';
import { ContactCard } from './ContactCard';
import { ContactsList } from './ContactsList';
import { ImportPage } from './ImportPage';
import './contacts.css';

/** `/contacts`, `/contacts/import` and `/contacts/{id}`. */
export function ContactsPage() {
  const rest = usePath().split('/')[2] ?? '';
  if (rest === 'import') return <ImportPage />;
  if (rest) return <ContactCard key={rest} id={decodeURIComponent(rest)} />;
  return <ContactsList />;
}

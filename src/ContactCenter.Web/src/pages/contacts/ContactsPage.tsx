import { useParams } from 'react-router';
import { ContactCard } from './ContactCard';
import { ContactsList } from './ContactsList';
import { ImportPage } from './ImportPage';
import './contacts.css';

/** `/contacts`, `/contacts/import` and `/contacts/{id}`. */
export function ContactsPage() {
  const rest = useParams().id ?? '';
  if (rest === 'import') return <ImportPage />;
  if (rest) return <ContactCard key={rest} id={rest} />;
  return <ContactsList />;
}

import { useState } from 'react';
import { useI18n } from '../i18n';
import type { Id } from '../types';
import { ContactProfile } from './ContactProfile';

/** The thread header's "Profile" button and the profile it opens. */
export function ProfileButton({ contactId, contactName, conversationId, onSaved }: { contactId: Id; contactName: string; conversationId: Id; onSaved: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" data-testid="open-profile" aria-label={t('openProfileLabel', { name: contactName })} onClick={() => setOpen(true)}>
        {t('openProfile')}
      </button>
      {open && <ContactProfile contactId={contactId} currentConversationId={conversationId} onClose={() => setOpen(false)} onSaved={onSaved} />}
    </>
  );
}

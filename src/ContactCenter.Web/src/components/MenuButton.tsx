import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import './phone.css';

export interface Menu { open: boolean; setOpen: (open: boolean) => void }

/** The phone header's menu state: closed again whenever the page changes. */
export function useMenu(path: string): Menu {
  const [open, setOpen] = useState(false);
  useEffect(() => { setOpen(false); }, [path]);
  return { open, setOpen };
}

/**
 * Below 768 px the navigation and the account controls fold into this (hamburger) button; wider, it is hidden. It carries
 * the inbox's unread count, the one counter a closed menu would otherwise hide (a new customer went unseen on a phone).
 */
export function MenuButton({ menu, unread, unreadLabel }: { menu: Menu; unread?: number; unreadLabel?: string }) {
  const { t } = useI18n();
  return (
    <button type="button" className="menu-button" aria-label={unread ? `${t('menu')}: ${unreadLabel ?? unread}` : t('menu')} aria-expanded={menu.open}
      aria-controls="app-menu-nav app-menu-who" data-testid="menu-button" onClick={() => menu.setOpen(!menu.open)}>
      <span aria-hidden="true">☰</span>
      {!!unread && <span className="badge" aria-hidden="true" data-testid="menu-badge">{unread}</span>}
    </button>
  );
}

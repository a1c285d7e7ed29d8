import { lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation, useParams } from 'react-router';
import { AccountMenu } from '../components/AccountMenu';
import { LanguagePicker } from '../components/LanguagePicker';
import { NotificationBell } from '../components/NotificationBell';
import { PageMissing } from '../components/PageMissing';
import { PresencePicker } from '../components/PresencePicker';
import { MenuButton, useMenu } from '../components/MenuButton';
import { ShortcutsDialog } from '../components/ShortcutsDialog';
import { useShortcuts } from '../lib/shortcuts';
import { SearchBox } from '../components/SearchBox';
import { useI18n } from '../i18n';
import { useCounters, useLinkStatus } from '../live';
import { useMe, useSession } from '../session';
import { ActivitiesPage } from './ActivitiesPage';
import { AdminPage } from './AdminPage';
import { CannedPage } from './CannedPage';
import { CompaniesPage } from './contacts/CompaniesPage';
import { ContactsPage } from './contacts/ContactsPage';
import { DealsPage } from './DealsPage';
import { DealCardPage } from './DealCardPage';
import { LeadCardPage } from './LeadCardPage';
import { DealListPage } from './lists/DealListPage';
import { LeadListPage } from './lists/LeadListPage';
import { InboxPage } from './InboxPage';
import { SearchPage } from './SearchPage';
import { SettingsPage } from './SettingsPage';

// The reports carry the charting library: loaded when first opened, not with the inbox.
const ReportsPage = lazy(() => import('./ReportsPage').then((m) => ({ default: m.ReportsPage })));
// Staff-only pages load on first visit: their charts (recharts) are most of the app's script, which a manager's phone need not fetch.
const SupervisorPage = lazy(() => import('./SupervisorPage').then((m) => ({ default: m.SupervisorPage })));

export function Shell() {
  const { t } = useI18n();
  const me = useMe();
  const { signOut } = useSession();
  const counters = useCounters();
  const path = useLocation().pathname;
  const isStaff = me.role === 'admin' || me.role === 'supervisor';
  const menu = useMenu(path);
  const [help, setHelp] = useState(false);
  useShortcuts(useCallback(() => setHelp(true), []));

  // The total unread count in the tab title, so a manager sees it from another tab; signed out (the shell gone), the plain name.
  useEffect(() => {
    const n = counters?.unreadConversations ?? 0;
    document.title = n > 0 ? `(${n}) ${t('appName')}` : t('appName');
    return () => { document.title = t('appName'); };
  }, [counters?.unreadConversations, t]);

  const nav = [
    { to: '/inbox', key: 'inbox', label: t('navInbox'), badge: counters?.unreadConversations, badgeLabel: t('badgeUnread', { count: counters?.unreadConversations ?? 0 }) },
    { to: '/deals', key: 'deals', label: t('navDeals') },
    { to: '/leads', key: 'leads', label: t('navLeads') },
    { to: '/contacts', key: 'contacts', label: t('navContacts') },
    { to: '/companies', key: 'companies', label: t('navCompanies') },
    { to: '/canned', key: 'canned', label: t('navCanned') },
    { to: '/activities', key: 'activities', label: t('navActivities'), badge: counters?.overdueActivities, badgeLabel: t('badgeOverdue', { count: counters?.overdueActivities ?? 0 }), danger: true,
      badge2: counters?.activitiesDueToday, badge2Label: t('badgeToday', { count: counters?.activitiesDueToday ?? 0 }) },
    ...(isStaff ? [{ to: '/supervisor', key: 'supervisor', label: t('navSupervisor') }] : []),
    ...(isStaff ? [{ to: '/reports', key: 'reports', label: t('navReports') }] : []),
    ...(me.role === 'admin' ? [{ to: '/admin', key: 'admin', label: t('navAdmin') }] : []),
  ];

  return (
    <div className="shell">
      <header className={`topbar ${menu.open ? 'menu-open' : ''}`}>
        <strong className="brand">{t('appName')}</strong>
        <MenuButton menu={menu} unread={counters?.unreadConversations} unreadLabel={t('badgeUnread', { count: counters?.unreadConversations ?? 0 })} />
        <nav aria-label={t('nav')} id="app-menu-nav">
          <ul>
            {nav.map((n) => (
              <li key={n.key}>
                {/* NavLink marks the section's link (class "active", aria-current="page") for every path under it. */}
                <NavLink to={n.to}>
                  {n.label}
                  {!!n.badge && <span className={`badge ${'danger' in n && n.danger ? 'danger' : ''}`} aria-label={n.badgeLabel} data-testid={`nav-badge-${n.key}`}>{n.badge}</span>}
                  {'badge2' in n && !!n.badge2 && <span className="badge muted" aria-label={n.badge2Label}>{n.badge2}</span>}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <SearchBox />
        {/* Outside the menu: on a phone the bell stays in the header next to the menu button. */}
        <span className="bell-slot"><NotificationBell /></span>
        <div className="who" id="app-menu-who">
          <button type="button" className="shortcuts-button" onClick={() => setHelp(true)} aria-label={t('shortcutsButton')} title={t('shortcutsButton')}>?</button>
          <span className="signed-in-as" title={me.email}>{t('signedInAs', { name: me.name, role: t(`role_${me.role}`) })}</span>
          <PresencePicker />
          <LanguagePicker remember />
          <AccountMenu />
          <button type="button" onClick={() => signOut()}>{t('signOut')}</button>
        </div>
      </header>
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
      <LinkBanner />
      <main className="content">
        <Routes>
          <Route index element={<Navigate to="/inbox" replace />} />
          <Route path="inbox/:id?" element={<InboxPage />} />
          <Route path="search" element={<SearchPage />} />
          <Route path="deals" element={<DealsPage />} />
          <Route path="deals/list" element={<DealListPage />} />
          <Route path="deals/:id" element={<Keyed render={(id) => <DealCardPage key={id} id={id} />} />} />
          <Route path="leads" element={<LeadListPage />} />
          <Route path="leads/:id" element={<Keyed render={(id) => <LeadCardPage key={id} id={id} />} />} />
          <Route path="contacts/:id?" element={<ContactsPage />} />
          <Route path="companies/:id?" element={<CompaniesRoute />} />
          <Route path="activities" element={<ActivitiesPage />} />
          <Route path="canned" element={<CannedPage />} />
          {isStaff && <Route path="supervisor" element={<Suspense fallback={<p className="muted">{t('loading')}</p>}><SupervisorPage /></Suspense>} />}
          {isStaff && <Route path="reports/:tab?" element={<Suspense fallback={<p className="muted">{t('loading')}</p>}><ReportsPage /></Suspense>} />}
          {me.role === 'admin' && <Route path="admin/:tab?" element={<AdminPage />} />}
          <Route path="settings" element={<SettingsPage />} />
          {/* Any other path, or a page this role may not open: said so, with the way back. */}
          <Route path="*" element={<PageMissing />} />
        </Routes>
      </main>
    </div>
  );
}

/** A card route: the page is keyed by the id so that opening another card starts from a clean slate. */
function Keyed({ render }: { render: (id: string) => ReactNode }) {
  return render(useParams().id ?? '');
}

function CompaniesRoute() {
  return <CompaniesPage id={useParams().id ?? null} />;
}

function LinkBanner() {
  const { t } = useI18n();
  const status = useLinkStatus();
  const [showBack, setShowBack] = useState(false);
  const [wasDown, setWasDown] = useState(false);
  useEffect(() => {
    if (status.state === 'reconnecting') { setWasDown(true); setShowBack(false); }
    if (status.state === 'connected' && wasDown) {
      setWasDown(false);
      setShowBack(true);
      const timer = window.setTimeout(() => setShowBack(false), 3000);
      return () => window.clearTimeout(timer);
    }
  }, [status.state, wasDown]);
  if (status.state === 'reconnecting') {
    return <div className="banner warn" role="status" data-testid="reconnecting">{status.attempt > 1 ? t('reconnectingIn', { attempt: status.attempt }) : t('reconnecting')}</div>;
  }
  if (showBack) return <div className="banner ok" role="status">{t('reconnected')}</div>;
  return null;
}

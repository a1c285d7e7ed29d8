import { NavLink } from 'react-router';
import { useI18n } from '../i18n';

/** What an unknown path (a mistyped or stale link, a page or tab of another role) shows instead of an empty or wrong screen. */
export function PageMissing() {
  const { t } = useI18n();
  return (
    <section className="page page-missing" role="status">
      <p>{t('pageMissing')}</p>
      <p><NavLink to="/inbox">{t('pageMissingBack')}</NavLink></p>
    </section>
  );
}

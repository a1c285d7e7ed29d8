import { useI18n } from '../i18n';
import type { ApiRead } from '../api/useApiGet';

/**
 * Loading / not available / error for a resource; renders nothing once data is there. For one `record` by id, a 404 is
 * that record being gone or someone else's (the server answers both alike), not a missing route.
 */
export function ResourceStatus({ resource, what, record = false }: {
  resource: Pick<ApiRead<unknown>, 'data' | 'loading' | 'error' | 'notAvailable'>; what: string; record?: boolean;
}) {
  const { t } = useI18n();
  if (resource.notAvailable && record) return <p className="notice missing" role="status">{t('recordMissing')}</p>;
  if (resource.notAvailable) return <p className="notice unavailable" role="status">{t('notAvailable', { what })}</p>;
  if (resource.error) return <p className="error" role="alert">{t('errorGeneric', { reason: resource.error })}</p>;
  if (resource.loading && !resource.data) return <p className="muted">{t('loading')}</p>;
  return null;
}

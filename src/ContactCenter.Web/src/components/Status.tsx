import { useI18n } from '../i18n';
import type { Resource } from '../lib/useResource';

/** Loading / not available / error for a resource; renders nothing once data is there. */
export function ResourceStatus({ resource, what }: { resource: Pick<Resource<unknown>, 'data' | 'loading' | 'error' | 'notAvailable'>; what: string }) {
  const { t } = useI18n();
  if (resource.notAvailable) return <p className="notice unavailable" role="status">{t('notAvailable', { what })}</p>;
  if (resource.error) return <p className="error" role="alert">{t('errorGeneric', { reason: resource.error })}</p>;
  if (resource.loading && !resource.data) return <p className="muted">{t('loading')}</p>;
  return null;
}

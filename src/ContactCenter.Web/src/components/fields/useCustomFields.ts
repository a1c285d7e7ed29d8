import { useResource } from '../../lib/useResource';
import type { CustomField } from './fieldTypes';

/** The active custom field definitions of one entity. */
export function useCustomFields(entity: CustomField['entity']) {
  return useResource<CustomField[]>(`/api/custom-fields?entity=${entity}`);
}

import { useApiGet, type ApiRead } from '../../api/useApiGet';
import type { CustomField } from './fieldTypes';

/** The active custom field definitions of one entity. */
export function useCustomFields(entity: CustomField['entity']): ApiRead<CustomField[]> {
  // The document types `entity` and `type` as plain strings; the server stores only the values CustomField names
  // (CustomFieldTypes), and the editors switch on them.
  return useApiGet('/api/custom-fields', { params: { query: { entity } } }) as ApiRead<CustomField[]>;
}

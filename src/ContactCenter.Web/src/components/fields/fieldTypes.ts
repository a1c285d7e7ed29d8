import type { Schemas } from '../../api/client';
import type { Id } from '../../types';

/** A custom field definition (GET /api/custom-fields); the document types `entity` and `type` as plain strings. */
export type CustomField = Omit<Schemas['CustomField'], 'entity' | 'type'> & {
  entity: 'contact' | 'company' | 'lead' | 'deal';
  type: 'string' | 'number' | 'money' | 'date' | 'list' | 'multi-list' | 'boolean' | 'url';
};

export type FieldValue = string | number | boolean | string[] | null;
export type FieldValues = Record<string, FieldValue>;

export const fieldTypes: CustomField['type'][] = ['string', 'number', 'money', 'date', 'list', 'multi-list', 'boolean', 'url'];

/** A stored value as text (lists, tables, CSV previews). */
export function showValue(value: FieldValue | undefined, yes: string, no: string): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? yes : no;
  return String(value);
}

/** The fields of an entity that belong on a row of this pipeline (a field without a pipeline belongs everywhere). */
export function applicable(fields: CustomField[], pipelineId?: Id | null): CustomField[] {
  return fields.filter((f) => !f.archived && (f.pipelineId == null || String(f.pipelineId) === String(pipelineId ?? '')));
}

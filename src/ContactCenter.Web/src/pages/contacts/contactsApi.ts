// Shapes of the contacts, companies and import routes (issue #17, docs/API-EXTENSIONS.md).
import type { Id } from '../../types';
import type { ContactProfileData } from '../../components/ContactProfile';
import type { FieldValues } from '../../components/fields/fieldTypes';

export interface Page<T> { items: T[]; nextCursor: string | null }
export interface ContactRow { id: Id; name: string; email: string | null; phone: string | null; companyId: Id | null; companyName: string | null; createdAt: string }
export type ContactCardData = ContactProfileData & { companyId: Id | null; companyName: string | null; fields?: FieldValues };
export interface TimelineEntry { id: Id; type: string; at: string; actor: { type: string; id: Id | null; name: string | null }; data: Record<string, unknown> }
export interface CompanyRow { id: Id; name: string; phone: string | null; email: string | null; website: string | null; createdAt: string }
export interface Company extends CompanyRow {
  address: string | null;
  contacts: ContactRow[];
  deals: ContactProfileData['deals'];
  fields?: FieldValues;
}
export interface ImportPreview { encoding: string; delimiter: string; records: number; rows: string[][] }
export interface ImportReport {
  id: Id; entity: string; fileName: string; status: string; total: number; created: number; merged: number; refused: number; error: string | null;
  rows: { row: number; outcome: 'created' | 'merged' | 'refused'; error: string | null; contactId: Id | null; leadId: Id | null }[];
}

export const enc = (id: Id) => encodeURIComponent(String(id));

// Shapes of the contacts, companies and import routes (issue #17): schemas of the OpenAPI document.
import type { Schemas } from '../../api/client';
import type { Id } from '../../types';

export type { Page } from '../../types';
export type ContactRow = Schemas['ContactListItem'];
/** GET /api/contacts/{id}: the contact's profile with its company and custom field values. */
export type ContactCardData = Schemas['ContactProfile'];
export type CompanyRow = Schemas['CompanyListItem'];
export type Company = Schemas['CompanyDto'];

export const enc = (id: Id) => encodeURIComponent(String(id));

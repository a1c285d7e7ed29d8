// API failures in words for the person at the screen.
import type { Translate } from '../i18n';
import type { StringKey } from '../strings';
import { ApiError } from './api';

/** The server's detail with its field errors ("Password: The password needs at least 8 characters."). */
export function describeError(e: unknown): string {
  const err = e as { message: string; errors?: Record<string, string[]> };
  // A field's message the detail already says (a 400 about one field) is not repeated after it.
  const fields = err.errors ? Object.entries(err.errors).filter(([, v]) => v.join(' ') !== err.message).map(([k, v]) => `${k}: ${v.join(' ')}`).join('; ') : '';
  return fields ? `${err.message} (${fields})` : err.message;
}

/** A form's errors by field from a 400's `errors` (`body` holds the detail when the answer names no field). */
export function fieldErrors(e: unknown): Record<string, string> {
  const err = e as { message: string; errors?: Record<string, string[]> };
  return err.errors ? Object.fromEntries(Object.entries(err.errors).map(([k, v]) => [k, v.join(' ')])) : { body: err.message };
}

/**
 * `byStatus` says what a status means for this action (409 on a user change: the last active admin), in the user's
 * language; anything else is the server's own words behind "Something went wrong".
 */
export function explain(e: unknown, t: Translate, byStatus: Partial<Record<number, StringKey>> = {}): string {
  if (e instanceof ApiError) {
    const key = byStatus[e.status];
    if (key) return t(key);
    if (e.status === 0) return t('networkError');
    if (e.status === 403) return t('forbidden');
    if (e.status === 400 && e.errors) return t('invalidInput', { reason: Object.values(e.errors).flat().join(' ') });
  }
  return t('errorGeneric', { reason: describeError(e) });
}

/** Why a message's file cannot be shown: still on its way from the provider (409), never fetched (410), or the error. */
export function fileProblem(e: unknown, t: Translate): string {
  if (e instanceof ApiError && e.status === 409) return t('attachmentMissing');
  if (e instanceof ApiError && e.status === 410) return t('attachmentFailed');
  return (e as Error).message;
}

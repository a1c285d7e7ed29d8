import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/api';
import { auditChanges, subjectName } from '../lib/auditDiff';
import { explain, fileProblem } from '../lib/errors';
import { createI18n, translator } from '../lib/i18next';
import { languages } from '../strings';
import { auditActions } from '../pages/admin/AuditTab';

const t = translator(createI18n('en'), 'en');

describe('audit diff', () => {
  it('lists only the fields that changed', () => {
    expect(auditChanges({ name: 'Nina', role: 'manager', isActive: true }, { name: 'Nina', role: 'supervisor', isActive: true }))
      .toEqual([{ field: 'role', before: 'manager', after: 'supervisor' }]);
  });

  it('a created subject lists its fields as added, a removed one as removed', () => {
    expect(auditChanges(null, { name: 'Shop', enabled: true })).toEqual([
      { field: 'name', before: null, after: 'Shop' }, { field: 'enabled', before: null, after: 'true' }]);
    expect(auditChanges({ userId: 5 }, null)).toEqual([{ field: 'userId', before: '5', after: null }]);
  });

  it('nested values are compared whole and shortened', () => {
    const long = 'x'.repeat(100);
    const [change] = auditChanges({ settings: { a: 1 } }, { settings: { a: long } });
    expect(change.field).toBe('settings');
    expect(change.before).toBe('{"a":1}');
    expect(change.after!.length).toBe(60);
    expect(change.after!.endsWith('…')).toBe(true);
  });

  it('no snapshots means no changes; a subject is named by its name or email', () => {
    expect(auditChanges(null, null)).toEqual([]);
    expect(subjectName({ name: 'Old' }, { name: 'New' })).toBe('New');
    expect(subjectName(null, { email: 'a@b.c' })).toBe('a@b.c');
    expect(subjectName(null, null)).toBeNull();
  });
});

describe('errors in plain words', () => {
  it('a status the action names wins over the server detail', () => {
    expect(explain(new ApiError(409, 'Conflict'), t, { 409: 'lastAdmin' })).toBe(languages.en.lastAdmin);
  });

  it('validation errors list the field messages; an unknown failure keeps the server words', () => {
    expect(explain(new ApiError(400, 'One or more validation errors occurred.', { Password: ['The password needs at least 8 characters.'] }), t))
      .toBe('Please check what you entered: The password needs at least 8 characters.');
    expect(explain(new ApiError(500, 'Boom'), t)).toBe('Something went wrong: Boom');
    expect(explain(new ApiError(0, 'Failed to fetch'), t)).toBe(languages.en.networkError);
  });
});

describe('audit actions', () => {
  it('every action offered as a filter has a label in both languages', () => {
    for (const action of auditActions) {
      const key = `audit_${action}` as keyof typeof languages.en;
      expect(languages.en[key], action).toBeTruthy();
      expect(languages.ru[key], action).toBeTruthy();
    }
  });
});

describe('a message file that cannot be shown', () => {
  it('says whether it is still coming or never will', () => {
    expect(fileProblem(new ApiError(409, 'The file is still being fetched from the provider.'), t)).toBe(languages.en.attachmentMissing);
    expect(fileProblem(new ApiError(410, 'The file could not be fetched from the provider.'), t)).toBe(languages.en.attachmentFailed);
    expect(fileProblem(new Error('offline'), t)).toBe('offline');
  });
});

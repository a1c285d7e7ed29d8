import { describe, expect, it } from 'vitest';
import { mentionedIds, mentionQuery } from '../components/MentionPicker';
import { inQuietHours, targetOf } from '../lib/notifications';

describe('quiet hours', () => {
  const night = { from: '22:00', to: '08:00', timeZone: 'UTC' };
  it('run over midnight when from is after to', () => {
    expect(inQuietHours(night, new Date('2026-12-03T23:30:00Z'))).toBe(true);
    expect(inQuietHours(night, new Date('2026-12-03T07:59:00Z'))).toBe(true);
    expect(inQuietHours(night, new Date('2026-12-03T08:00:00Z'))).toBe(false);
    expect(inQuietHours(night, new Date('2026-12-03T12:00:00Z'))).toBe(false);
  });
  it('are read in their own time zone', () => {
    // 20:00 UTC is 23:00 in Moscow (UTC+3): quiet there, not in UTC.
    const at = new Date('2026-12-03T20:00:00Z');
    expect(inQuietHours({ ...night, timeZone: 'Europe/Moscow' }, at)).toBe(true);
    expect(inQuietHours(night, at)).toBe(false);
  });
  it('within one day when from is before to', () => {
    const lunch = { from: '12:00', to: '13:00', timeZone: 'UTC' };
    expect(inQuietHours(lunch, new Date('2026-12-03T12:30:00Z'))).toBe(true);
    expect(inQuietHours(lunch, new Date('2026-12-03T13:30:00Z'))).toBe(false);
    expect(inQuietHours(null, new Date())).toBe(false);
  });
});

describe('mentions', () => {
  it('find the @word before the caret', () => {
    expect(mentionQuery('hi @bor', 7)).toBe('bor');
    expect(mentionQuery('@', 1)).toBe('');
    expect(mentionQuery('mail@example', 12)).toBeNull();
    expect(mentionQuery('@anna done', 10)).toBeNull();
    expect(mentionQuery('привет @Бор', 11)).toBe('Бор');
  });
  it('keep only colleagues still named in the text', () => {
    const picked = [{ id: 1, name: 'Anna' }, { id: 2, name: 'Boris' }, { id: 1, name: 'Anna' }];
    expect(mentionedIds('@Anna please look', picked)).toEqual([1]);
  });
  it('lead to the conversation, else the activity or deal', () => {
    expect(targetOf({ conversationId: 5 })).toBe('/inbox/5');
    expect(targetOf({ activityId: 3, dealId: 1 })).toBe('/activities');
    expect(targetOf({ dealId: 1 })).toBe('/deals');
  });
});

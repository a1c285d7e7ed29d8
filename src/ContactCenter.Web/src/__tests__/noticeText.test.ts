import { describe, expect, it } from 'vitest';
import { createI18n, translator } from '../lib/i18next';
import { notificationText, systemNoticeText } from '../lib/noticeText';
import type { AppNotification, Message } from '../types';

// The reviewer's case: 14:35 in Moscow (UTC+3) is 11:35 UTC. The time zone is pinned, so the machine's does not matter.
const time = { timeZone: 'Europe/Moscow', now: new Date('2026-12-05T11:20:00Z') };
const ru = translator(createI18n('ru'), 'ru');
const en = translator(createI18n('en'), 'en');

const notice = (kind: string, text: string, data: AppNotification['data']): AppNotification => ({
  id: 1, kind, text, data, conversationId: null, dealId: null, activityId: null, createdAt: '2026-12-05T11:20:00Z', readAt: null,
});

describe('notifications in the UI language and local time', () => {
  const due = notice('activity_due', 'Due at 11:35 UTC: Скоро звонок', { title: 'Скоро звонок', dueAt: '2026-12-05T11:35:00Z' });

  it('an activity reminder shows its due time in the user time zone, not UTC', () => {
    expect(notificationText(due, ru, 'ru-RU', time)).toBe('Срок в 14:35: Скоро звонок');
    expect(notificationText(due, en, 'en-GB', time)).toBe('Due at 14:35: Скоро звонок');
  });

  it('an overdue activity of another day names its day', () => {
    const overdue = notice('activity_overdue', 'Overdue: Позвонить', { title: 'Позвонить', dueAt: '2026-12-04T11:00:00Z' });
    expect(notificationText(overdue, ru, 'ru-RU', time)).toBe('Просрочено (срок 4 дек., 14:00): Позвонить');
    expect(notificationText(overdue, en, 'en-GB', time)).toBe('Overdue (due 4 Dec, 14:00): Позвонить');
  });

  it('assignments, mentions and SLA breaches are worded from their data', () => {
    const by = notice('assigned', 'Mia assigned you the conversation with Olga (Site).', { contact: 'Olga', channel: 'Site', by: 'Mia' });
    expect(notificationText(by, ru, 'ru-RU')).toBe('Mia: вам назначен диалог с Olga (Site).');
    expect(notificationText(by, en, 'en-GB')).toBe('Mia assigned you the conversation with Olga (Site).');
    const routed = notice('assigned', 'Conversation with Olga (Site) routed to you.', { contact: 'Olga', channel: 'Site', by: null });
    expect(notificationText(routed, ru, 'ru-RU')).toBe('Диалог с Olga (Site) назначен вам автоматически.');
    const mention = notice('mention', 'Mia mentioned you (Olga): look', { contact: 'Olga', by: 'Mia', preview: '@Anna look' });
    expect(notificationText(mention, ru, 'ru-RU')).toBe('Mia упоминает вас (Olga): @Anna look');
    const sla = notice('sla_breach', 'SLA breached (first response): ...', { contact: 'Olga', channel: 'Site', sla: 'first_response', waitedMinutes: 12, assignee: null });
    expect(notificationText(sla, ru, 'ru-RU')).toBe('Нарушение SLA (первый ответ): Olga (Site) ждёт 12 мин, ответственный не назначен.');
    expect(notificationText({ ...sla, data: { ...sla.data, sla: 'reply', assignee: 'Mia' } }, en, 'en-GB'))
      .toBe('SLA breached (reply): Olga (Site) has waited 12 min, assigned to Mia.');
  });

  it('an automation notice, an unknown kind and a notice without data keep the server text', () => {
    expect(notificationText(notice('automation', 'Call them back', null), ru, 'ru-RU')).toBe('Call them back');
    expect(notificationText(notice('something_new', 'New thing', { title: 'x' }), ru, 'ru-RU')).toBe('New thing');
    expect(notificationText({ ...due, data: null }, ru, 'ru-RU')).toBe('Due at 11:35 UTC: Скоро звонок');
    expect(notificationText({ ...due, data: { title: 'Скоро звонок' } }, ru, 'ru-RU')).toBe('Due at 11:35 UTC: Скоро звонок');
  });
});

const note = (metadata: Record<string, string> | null, type = 'system') =>
  ({ direction: 'note', sender: { type, id: null, name: 'System' }, metadata }) as Pick<Message, 'direction' | 'sender' | 'metadata'>;

describe('system notes in the UI language and local time', () => {
  it('a snooze shows its time as the header does, in the user time zone', () => {
    const snoozed = note({ notice: 'snoozed', until: '2026-12-05T12:24:00.0000000+00:00', by: '7', byName: 'Mia Manager' });
    expect(systemNoticeText(snoozed, ru, 'ru-RU', time)).toBe('Отложен до 5 дек. 2026 г., 15:24 (Mia Manager).');
    expect(systemNoticeText(snoozed, en, 'en-GB', time)).toBe('Snoozed until 5 Dec 2026, 15:24 by Mia Manager.');
  });

  it('the end of a snooze says why', () => {
    expect(systemNoticeText(note({ notice: 'unsnoozed', reason: 'time' }), ru, 'ru-RU')).toBe('Больше не отложен: пришло время.');
    expect(systemNoticeText(note({ notice: 'unsnoozed', reason: 'inbound' }), en, 'en-GB')).toBe('Snooze ended: the customer wrote.');
    const manual = note({ notice: 'unsnoozed', reason: 'manual', status: 'resolved', by: '7', byName: 'Mia' });
    expect(systemNoticeText(manual, ru, 'ru-RU')).toBe('Больше не отложен: Mia — статус «Решён».');
    expect(systemNoticeText(manual, en, 'en-GB')).toBe('Snooze ended: Mia set the status to Resolved.');
  });

  it('participants, ratings and connector notices are worded too', () => {
    const one = note({ notice: 'participants', by: '7', byName: 'Mia', added: 'Anna' });
    expect(systemNoticeText(one, ru, 'ru-RU')).toBe('Anna — теперь участник диалога (упоминание: Mia).');
    const three = note({ notice: 'participants', by: '7', byName: 'Mia', added: 'Анна\nБорис\nВера' });
    expect(systemNoticeText(three, ru, 'ru-RU')).toBe('Анна, Борис и Вера — теперь участники диалога (упоминание: Mia).');
    expect(systemNoticeText(three, en, 'en-GB')).toBe('Mia mentioned Анна, Борис and Вера: now participants of this conversation.');
    expect(systemNoticeText(note({ notice: 'csat', csatRating: '4', csatComment: '' }), ru, 'ru-RU')).toBe('Оценка клиента: 4/5');
    expect(systemNoticeText(note({ notice: 'csat', csatRating: '5', csatComment: 'Спасибо' }), en, 'en-GB')).toBe('Customer satisfaction: 5/5 — Спасибо');
    expect(systemNoticeText(note({ notice: 'telegram.blocked' }), ru, 'ru-RU')).toMatch(/^Клиент заблокировал бота/);
  });

  it('older notes without their facts, unknown notices and people notes keep their text', () => {
    expect(systemNoticeText(note({ notice: 'snoozed', until: '2026-12-05T12:24:00Z', by: '7' }), ru, 'ru-RU')).toBeNull();
    expect(systemNoticeText(note({ notice: 'unsnoozed', reason: 'manual', by: '7' }), ru, 'ru-RU')).toBeNull();
    expect(systemNoticeText(note({ notice: 'participants' }), ru, 'ru-RU')).toBeNull();
    expect(systemNoticeText(note({ notice: 'csat', csatRating: '4' }), ru, 'ru-RU')).toBeNull();
    expect(systemNoticeText(note({ notice: 'someday.new' }), ru, 'ru-RU')).toBeNull();
    expect(systemNoticeText(note({ notice: 'snoozed', until: '2026-12-05T12:24:00Z', byName: 'Mia' }, 'user'), ru, 'ru-RU')).toBeNull();
    expect(systemNoticeText(note(null), ru, 'ru-RU')).toBeNull();
  });
});

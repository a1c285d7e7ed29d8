// Strings built around a number. Each language gives the forms its plural rules ask for (the Intl.PluralRules
// categories that i18next picks from `count`): English one/other, Russian one (1, 21), few (2-4, 22), many (5-20, 25)
// and other (fractions). Callers pass `t(key, { count })`; i18next looks up `key_one`, `key_few`...
type En = { one: string; other: string };
type Ru = { one: string; few: string; many: string; other: string };

function plurals<const K extends string>(strings: { en: Record<K, En>; ru: Record<K, Ru> }) {
  return strings;
}

export const pluralStrings = plurals({
  en: {
    badgeUnread: { one: '{count} unread', other: '{count} unread' },
    badgeOverdue: { one: '{count} overdue', other: '{count} overdue' },
    badgeToday: { one: '{count} due today', other: '{count} due today' },
    unreadBadge: { one: '{count} unread message', other: '{count} unread messages' },
    notificationsUnread: { one: 'Notifications: {count} unread', other: 'Notifications: {count} unread' },
    dealsCount: { one: 'Deals: {count}', other: 'Deals: {count}' },
    bulkChanged: { one: 'Changed: {count}.', other: 'Changed: {count}.' },
    crmConverted: { one: 'Saved: {count} open lead became a deal.', other: 'Saved: {count} open leads became deals.' },
  },
  ru: {
    badgeUnread: { one: '{count} непрочитанный диалог', few: '{count} непрочитанных диалога', many: '{count} непрочитанных диалогов', other: '{count} непрочитанного диалога' },
    badgeOverdue: { one: '{count} просроченное дело', few: '{count} просроченных дела', many: '{count} просроченных дел', other: '{count} просроченного дела' },
    badgeToday: { one: '{count} дело на сегодня', few: '{count} дела на сегодня', many: '{count} дел на сегодня', other: '{count} дела на сегодня' },
    unreadBadge: { one: '{count} непрочитанное сообщение', few: '{count} непрочитанных сообщения', many: '{count} непрочитанных сообщений', other: '{count} непрочитанного сообщения' },
    notificationsUnread: { one: 'Уведомления: {count} непрочитанное', few: 'Уведомления: {count} непрочитанных', many: 'Уведомления: {count} непрочитанных', other: 'Уведомления: {count} непрочитанного' },
    dealsCount: { one: '{count} сделка', few: '{count} сделки', many: '{count} сделок', other: '{count} сделки' },
    bulkChanged: { one: 'Изменена {count} запись.', few: 'Изменены {count} записи.', many: 'Изменено {count} записей.', other: 'Изменено {count} записи.' },
    crmConverted: { one: 'Сохранено: {count} открытый лид стал сделкой.', few: 'Сохранено: {count} открытых лида стали сделками.', many: 'Сохранено: {count} открытых лидов стали сделками.', other: 'Сохранено: {count} открытого лида стали сделками.' },
  },
});

export type PluralKey = keyof typeof pluralStrings.en;

/** The forms as i18next keeps them: `key_one`, `key_few`, ... */
export function flattenPlurals(forms: Record<string, Record<string, string>>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, byForm] of Object.entries(forms)) {
    for (const [form, text] of Object.entries(byForm)) flat[`${key}_${form}`] = text;
  }
  return flat;
}

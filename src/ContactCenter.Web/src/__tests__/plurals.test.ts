import { describe, expect, it } from 'vitest';
import { createI18n, translator } from '../lib/i18next';
import { pluralStrings } from '../locales/plurals';

describe('plural strings (i18next over Intl.PluralRules)', () => {
  const ru = translator(createI18n('ru'), 'ru');
  const en = translator(createI18n('en'), 'en');

  it('Russian picks one for 1 and 21, few for 2, many for 5', () => {
    expect(ru('unreadBadge', { count: 1 })).toBe('1 непрочитанное сообщение');
    expect(ru('unreadBadge', { count: 2 })).toBe('2 непрочитанных сообщения');
    expect(ru('unreadBadge', { count: 5 })).toBe('5 непрочитанных сообщений');
    expect(ru('unreadBadge', { count: 21 })).toBe('21 непрочитанное сообщение');
    expect(ru('dealsCount', { count: 1 })).toBe('1 сделка');
    expect(ru('dealsCount', { count: 2 })).toBe('2 сделки');
    expect(ru('dealsCount', { count: 5 })).toBe('5 сделок');
    expect(ru('dealsCount', { count: 21 })).toBe('21 сделка');
    expect(ru('bulkChanged', { count: 11 })).toBe('Изменено 11 записей.');
    expect(ru('bulkChanged', { count: 22 })).toBe('Изменены 22 записи.');
  });

  it('English picks one for 1 only', () => {
    expect(en('unreadBadge', { count: 1 })).toBe('1 unread message');
    expect(en('unreadBadge', { count: 21 })).toBe('21 unread messages');
  });

  it('a count given to a string without plural forms is a plain parameter', () => {
    expect(en('selectedCount', { count: 2 })).toBe('2 selected');
    expect(ru('selectedCount', { count: 2 })).toBe('Выбрано: 2');
  });

  it('every plural key has every form in both languages and the forms carry the number', () => {
    for (const [key, forms] of Object.entries(pluralStrings.ru)) {
      for (const text of Object.values(forms)) expect(text, key).toContain('{count}');
    }
    for (const [key, forms] of Object.entries(pluralStrings.en)) {
      for (const text of Object.values(forms)) expect(text, key).toContain('{count}');
    }
  });

  it('parameters keep the {name} style and a missing one stays as written', () => {
    expect(en('signedInAs', { name: 'Nina', role: 'Admin' })).toBe('Signed in as Nina (Admin)');
    expect(en('signedInAs', { name: 'Nina' })).toBe('Signed in as Nina ({role})');
    expect(ru('signedInAs', { name: '<b>', role: 'x' })).toContain('<b>');
  });
});

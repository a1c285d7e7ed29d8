import { describe, expect, it } from 'vitest';
import { changedSettings, channelKinds, initialValues, kindOf, settingsOf } from '../pages/admin/channels/kinds';
import { rulesFrom, rulesToSettings } from '../pages/admin/channels/RulesFields';
import { languages } from '../strings';

const has = (lang: 'en' | 'ru', key: string) => !!(languages[lang] as Record<string, string>)[key];

describe('channel kinds data', () => {
  it('every kind and field has its label and help in English and Russian', () => {
    const missing: string[] = [];
    for (const def of channelKinds) {
      for (const key of [`chk_${def.kind}`, `chk_${def.kind}_about`, `chk_${def.kind}_paste`,
        ...def.fields.flatMap((f) => [`chf_${def.kind}_${f.name}`, `chf_${def.kind}_${f.name}_help`]),
        ...(def.presets ?? []).map((p) => `chPreset_${p.id}`), ...def.paste.map((p) => `chp_${p}`)]) {
        for (const lang of ['en', 'ru'] as const) if (!has(lang, key)) missing.push(`${lang}:${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('covers the existing kinds and the three new ones with their contract settings', () => {
    expect(channelKinds.map((k) => k.kind)).toEqual(['api', 'telegram', 'sms', 'email', 'webchat', 'webform', 'whatsapp', 'vk', 'voice']);
    expect(kindOf('whatsapp')!.fields.map((f) => f.name)).toEqual(['phoneNumberId', 'accessToken', 'appSecret', 'verifyToken', 'businessAccountId', 'apiBaseUrl']);
    expect(kindOf('vk')!.fields.map((f) => f.name)).toEqual(['groupId', 'accessToken', 'secretKey', 'confirmationCode', 'apiBaseUrl']);
    expect(kindOf('voice')!.fields.map((f) => f.name)).toEqual(['accountSid', 'authToken', 'phoneNumber', 'publicWebhookUrl', 'recordCalls', 'ringStrategy', 'apiBaseUrl']);
  });

  it('a new channel sends what was filled; an edit sends secrets only when replaced and clears emptied fields', () => {
    const telegram = kindOf('telegram')!;
    const values = { ...initialValues(telegram), botToken: '1:abc', webhookSecret: 's'.repeat(20) };
    expect(settingsOf(telegram, values, false, new Set())).toEqual({ botToken: '1:abc', webhookSecret: 's'.repeat(20) });
    expect(settingsOf(telegram, values, true, new Set())).toEqual({ apiBaseUrl: null });
    expect(settingsOf(telegram, values, true, new Set(['botToken']))).toEqual({ botToken: '1:abc', apiBaseUrl: null });
    const email = kindOf('email')!;
    const mail = initialValues(email, { address: 'a@b.ru', imapPort: 993, imapSecurity: 'ssl' });
    expect(mail.password).toBe('');
    expect(settingsOf(email, { ...mail, imapPort: '995' }, true, new Set()).imapPort).toBe(995);
    const form = kindOf('webform')!;
    expect(settingsOf(form, initialValues(form), false, new Set()).fields).toEqual(['name', 'email', 'phone', 'message']);
  });

  // An outside review (session 31): the server now refuses a routing order of anything but ids; one saved before through
  // the API went back with every save of the form, which then failed on a field the form does not show.
  it('an edit sends back the routing order\'s ids only', () => {
    const settings = { routing: { mode: 'strictly', order: [7, 'boris', 3, 1.5, -2] } };
    expect((rulesToSettings(rulesFrom(settings), settings).routing as { order: unknown[] }).order).toEqual([7, 3]);
  });

  // An outside review (session 29): renaming a channel in the editor cut each day's business hours to their first range
  // (a lunch break lost: afternoons out of hours) and a web form's field definitions to bare names.
  it('an edit keeps what the form cannot show whole: a day\'s second range and a web form field\'s label, type and required', () => {
    const settings = {
      businessHours: { timeZone: 'Europe/Moscow', week: { mon: [['09:00', '13:00'], ['14:00', '18:00']], tue: [['09:00', '18:00']] }, holidays: [] },
      fields: [{ name: 'company', type: 'text', required: true, label: 'Компания' }, { name: 'email', type: 'email', required: true }],
    };
    const rules = rulesFrom(settings);
    expect(rulesToSettings(rules, settings).businessHours).toEqual(settings.businessHours);
    // The first range edited: the second stays.
    const later = { ...rules, week: { ...rules.week, mon: { ...rules.week.mon, from: '10:00' } } };
    expect((rulesToSettings(later, settings).businessHours as { week: Record<string, unknown> }).week.mon).toEqual([['10:00', '13:00'], ['14:00', '18:00']]);

    const form = kindOf('webform')!;
    const values = initialValues(form, settings);
    expect(values.fields).toBe('company, email');
    expect(settingsOf(form, { ...values, fields: 'company, email, phone' }, true, new Set(), settings).fields)
      .toEqual([...settings.fields, 'phone']);

    // Unchanged settings are not sent at all; a changed one is.
    const before = { ...settingsOf(form, values, true, new Set(), settings), ...rulesToSettings(rules, settings) };
    expect(changedSettings(before, { ...before })).toEqual({});
    expect(changedSettings(before, { ...before, successMessage: 'Спасибо!' })).toEqual({ successMessage: 'Спасибо!' });
  });
});

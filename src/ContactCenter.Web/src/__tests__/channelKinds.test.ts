import { describe, expect, it } from 'vitest';
import { channelKinds, initialValues, kindOf, settingsOf } from '../pages/admin/channels/kinds';
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
});

// What the channel wizard knows about each kind of channel: its settings (names exactly as the server's channel-kind
// handler reads them), which are secrets, required, where to get them, presets that fill several at once, and which
// `public` values to show first. Labels and help are in locales/channelFields.ts under `chf_<kind>_<field>` and
// `chf_<kind>_<field>_help` (the unit test checks every one exists in both languages). Adding a kind = one entry here
// plus its strings.

// `secret`: accepted, never returned; shown as "set — replace" when editing and sent only when replaced.
export type FieldType = 'text' | 'secret' | 'url' | 'number' | 'tel' | 'email' | 'list' | 'select' | 'bool' | 'textarea';

export interface FieldDef {
  name: string;
  type: FieldType;
  required?: boolean;
  options?: readonly string[];
  /** Where the value comes from (opened in a new tab). */
  link?: string;
  /** Shown under "Advanced" (stand-ins, self-hosted APIs). */
  advanced?: boolean;
  /** Offers a button that fills a random value (shared secrets the admin makes up). */
  generate?: boolean;
  defaultValue?: string | boolean;
  placeholder?: string;
}

export interface Preset { id: string; values: Record<string, string>; link?: string }

export interface KindDef {
  kind: string;
  icon: string;
  /** The provider's console where the channel is set up. */
  link?: string;
  fields: readonly FieldDef[];
  presets?: readonly Preset[];
  /** The server checks the credentials on save (the result is the channel's statusError). */
  checks: boolean;
  /** `public` keys shown first, in this order (any others follow). */
  paste: readonly string[];
}

const security = ['auto', 'ssl', 'starttls', 'none'] as const;
const twilioConsole = 'https://console.twilio.com/';

export const channelKinds: readonly KindDef[] = [
  {
    kind: 'api', icon: '🔌', checks: false, paste: ['inboundUrl'],
    fields: [
      { name: 'secret', type: 'secret', required: true, generate: true },
      { name: 'callbackUrl', type: 'url', placeholder: 'https://shop.example/cc-callback' },
    ],
  },
  {
    kind: 'telegram', icon: '✈️', link: 'https://t.me/BotFather', checks: true, paste: ['webhookUrl'],
    fields: [
      { name: 'botToken', type: 'secret', required: true, link: 'https://t.me/BotFather', placeholder: '123456789:AAH…' },
      { name: 'webhookSecret', type: 'secret', required: true, generate: true },
      { name: 'apiBaseUrl', type: 'url', advanced: true, placeholder: 'https://api.telegram.org' },
    ],
  },
  {
    kind: 'sms', icon: '💬', link: twilioConsole, checks: true, paste: ['messagesUrl', 'statusCallbackUrl'],
    fields: [
      { name: 'accountSid', type: 'text', required: true, link: twilioConsole, placeholder: 'AC…' },
      { name: 'authToken', type: 'secret', required: true, link: twilioConsole },
      { name: 'fromNumber', type: 'tel', required: true, link: 'https://console.twilio.com/us1/develop/phone-numbers/manage/incoming', placeholder: '+14155550100' },
      { name: 'publicWebhookUrl', type: 'url', required: true, placeholder: 'https://cc.example.com' },
      { name: 'apiBaseUrl', type: 'url', advanced: true, placeholder: 'https://api.twilio.com' },
    ],
  },
  {
    kind: 'email', icon: '✉️', checks: true, paste: ['address'],
    presets: [
      { id: 'gmail', link: 'https://myaccount.google.com/apppasswords',
        values: { imapHost: 'imap.gmail.com', imapPort: '993', imapSecurity: 'ssl', smtpHost: 'smtp.gmail.com', smtpPort: '465', smtpSecurity: 'ssl' } },
      { id: 'yandex', link: 'https://id.yandex.ru/security/app-passwords',
        values: { imapHost: 'imap.yandex.ru', imapPort: '993', imapSecurity: 'ssl', smtpHost: 'smtp.yandex.ru', smtpPort: '465', smtpSecurity: 'ssl' } },
      { id: 'mailru', link: 'https://help.mail.ru/mail/security/protection/external',
        values: { imapHost: 'imap.mail.ru', imapPort: '993', imapSecurity: 'ssl', smtpHost: 'smtp.mail.ru', smtpPort: '465', smtpSecurity: 'ssl' } },
      { id: 'm365', link: 'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/pop3-and-imap4/pop3-and-imap4',
        values: { imapHost: 'outlook.office365.com', imapPort: '993', imapSecurity: 'ssl', smtpHost: 'smtp.office365.com', smtpPort: '587', smtpSecurity: 'starttls' } },
    ],
    fields: [
      { name: 'address', type: 'email', required: true, placeholder: 'sales@example.com' },
      { name: 'username', type: 'text', required: true },
      { name: 'password', type: 'secret', required: true },
      { name: 'imapHost', type: 'text', required: true },
      { name: 'imapPort', type: 'number', placeholder: '993' },
      { name: 'imapSecurity', type: 'select', options: security, defaultValue: 'auto' },
      { name: 'smtpHost', type: 'text', required: true },
      { name: 'smtpPort', type: 'number', placeholder: '587' },
      { name: 'smtpSecurity', type: 'select', options: security, defaultValue: 'auto' },
    ],
  },
  {
    kind: 'webchat', icon: '🗨️', checks: false, paste: ['embedHtml', 'widgetKey'],
    fields: [
      { name: 'title', type: 'text' },
      { name: 'greeting', type: 'textarea' },
      { name: 'color', type: 'text', placeholder: '#1f6feb' },
      { name: 'allowedOrigins', type: 'list', placeholder: 'https://shop.example' },
      { name: 'secret', type: 'secret', generate: true },
    ],
  },
  {
    kind: 'webform', icon: '📝', checks: false, paste: ['embedHtml', 'submitUrl', 'formKey'],
    fields: [
      { name: 'fields', type: 'list', defaultValue: 'name, email, phone, message' },
      { name: 'allowedOrigins', type: 'list', placeholder: 'https://shop.example' },
      { name: 'redirectUrl', type: 'url', placeholder: 'https://shop.example/thanks' },
    ],
  },
  {
    kind: 'whatsapp', icon: '🟢', link: 'https://developers.facebook.com/apps/', checks: true, paste: ['webhookUrl', 'verifyToken'],
    fields: [
      { name: 'phoneNumberId', type: 'text', required: true, link: 'https://developers.facebook.com/apps/' },
      { name: 'accessToken', type: 'secret', required: true, link: 'https://business.facebook.com/settings/system-users' },
      { name: 'appSecret', type: 'secret', required: true, link: 'https://developers.facebook.com/apps/' },
      { name: 'verifyToken', type: 'secret', required: true, generate: true },
      { name: 'businessAccountId', type: 'text' },
      { name: 'apiBaseUrl', type: 'url', advanced: true, placeholder: 'https://graph.facebook.com' },
    ],
  },
  {
    kind: 'vk', icon: '🔷', link: 'https://vk.com/groups?tab=admin', checks: true, paste: ['callbackUrl', 'webhookUrl'],
    fields: [
      { name: 'groupId', type: 'number', required: true, link: 'https://vk.com/groups?tab=admin' },
      { name: 'accessToken', type: 'secret', required: true, link: 'https://vk.com/groups?tab=admin' },
      { name: 'secretKey', type: 'secret', required: true, generate: true },
      { name: 'confirmationCode', type: 'text', required: true },
      { name: 'apiBaseUrl', type: 'url', advanced: true, placeholder: 'https://api.vk.com' },
    ],
  },
  {
    kind: 'voice', icon: '📞', link: twilioConsole, checks: true, paste: ['voiceUrl', 'statusCallbackUrl', 'recordingCallbackUrl'],
    fields: [
      { name: 'accountSid', type: 'text', required: true, link: twilioConsole, placeholder: 'AC…' },
      { name: 'authToken', type: 'secret', required: true, link: twilioConsole },
      { name: 'phoneNumber', type: 'tel', required: true, link: 'https://console.twilio.com/us1/develop/phone-numbers/manage/incoming', placeholder: '+14155550100' },
      { name: 'publicWebhookUrl', type: 'url', required: true, placeholder: 'https://cc.example.com' },
      { name: 'recordCalls', type: 'bool', defaultValue: false },
      { name: 'ringStrategy', type: 'select', options: ['simultaneous', 'sequential'], defaultValue: 'simultaneous' },
      { name: 'apiBaseUrl', type: 'url', advanced: true, placeholder: 'https://api.twilio.com' },
    ],
  },
];

export const isSecret = (f: FieldDef) => f.type === 'secret';

export const kindOf = (kind: string): KindDef | undefined => channelKinds.find((k) => k.kind === kind);

/** Settings as the form edits them: text for every input, booleans for switches. */
export type FormValues = Record<string, string | boolean>;

export function initialValues(def: KindDef, settings?: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const f of def.fields) {
    if (isSecret(f)) { values[f.name] = ''; continue; }
    const v = settings?.[f.name];
    if (f.type === 'bool') values[f.name] = typeof v === 'boolean' ? v : f.defaultValue === true;
    else if (Array.isArray(v)) values[f.name] = v.map((x) => (typeof x === 'object' && x !== null ? String((x as { name?: unknown }).name ?? '') : String(x))).join(', ');
    else if (v !== undefined && v !== null) values[f.name] = String(v);
    else values[f.name] = settings ? '' : typeof f.defaultValue === 'string' ? f.defaultValue : '';
  }
  return values;
}

/**
 * The settings to send. New channel: every filled field. Editing: every non-secret field (an emptied optional one as
 * null, which clears it) and only the secrets in `replaced` (write-only: the others are kept by the server).
 */
export function settingsOf(def: KindDef, values: FormValues, editing: boolean, replaced: ReadonlySet<string>, original?: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of def.fields) {
    const raw = values[f.name];
    if (f.type === 'bool') { out[f.name] = raw === true; continue; }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (isSecret(f)) {
      if (text && (!editing || replaced.has(f.name))) out[f.name] = text;
      continue;
    }
    if (!text) { if (editing) out[f.name] = null; continue; }
    if (f.type === 'list') {
      // A list of objects (a web form's field definitions: name, label, type, required) is shown by name: a name kept keeps
      // its object, a new one is sent as a name.
      const before = Array.isArray(original?.[f.name]) ? (original![f.name] as unknown[]) : [];
      const objectOf = (name: string) => before.find((x) => typeof x === 'object' && x !== null && (x as { name?: unknown }).name === name);
      out[f.name] = text.split(/[,\n]/).map((x) => x.trim()).filter(Boolean).map((name) => objectOf(name) ?? name);
    }
    else if (f.type === 'number') out[f.name] = /^-?\d+$/.test(text) ? Number(text) : text;
    else out[f.name] = text;
  }
  return out;
}

/** The settings of `now` that differ from `before` (the form's reading of the channel as loaded): what a PATCH sends. */
export function changedSettings(before: Record<string, unknown>, now: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(now).filter(([key, value]) => JSON.stringify(value ?? null) !== JSON.stringify(before[key] ?? null)));
}

/** A random shared secret (URL-safe), for webhook secrets the admin makes up. */
export function randomSecret(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

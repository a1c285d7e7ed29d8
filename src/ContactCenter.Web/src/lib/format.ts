export function shortTime(iso: string | null | undefined, locale: string, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay
    ? d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
}

/** `timeZone` (IANA) only where a caller must pin it (tests); otherwise the browser's own zone, the user's local time. */
export const fullTime = (iso: string, locale: string, timeZone?: string) =>
  new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });

/** A moment as a clock time, with its day when that is not today ("14:35", "5 Dec, 14:35"), in the user's time zone. */
export function dayTime(iso: string, locale: string, options: { now?: Date; timeZone?: string } = {}): string {
  const { now = new Date(), timeZone } = options;
  const d = new Date(iso);
  const day = (x: Date) => x.toLocaleDateString('en-CA', { timeZone });
  return day(d) === day(now)
    ? d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone })
    : d.toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone });
}

const durationUnits = {
  en: { s: 's', m: 'm', h: 'h', d: 'd' },
  ru: { s: 'с', m: 'мин', h: 'ч', d: 'д' },
} as const;

/** A duration for people ("4m 05s" / "4 мин 5 с"), in the app's language; '—' when unknown. */
export function duration(seconds: number | null | undefined, lang: 'en' | 'ru' = 'en'): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const u = durationUnits[lang];
  const sep = lang === 'ru' ? ' ' : '';
  const part = (n: number, unit: string) => `${n}${sep}${unit}`;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return part(s, u.s);
  if (s < 3600) return `${part(Math.floor(s / 60), u.m)} ${part(s % 60, u.s)}`;
  if (s < 86400) return `${part(Math.floor(s / 3600), u.h)} ${part(Math.floor((s % 3600) / 60), u.m)}`;
  return `${part(Math.floor(s / 86400), u.d)} ${part(Math.floor((s % 86400) / 3600), u.h)}`;
}

/**
 * A customer's wait as the supervisor should see it: the server's figure plus the time since it was read (the
 * browser's clock may be off), or null when it cannot be true (negative, or longer than a year: bad data).
 */
export function plausibleWait(serverSeconds: number | null | undefined, readAt: number, now: number): number | null {
  if (serverSeconds === null || serverSeconds === undefined || !Number.isFinite(serverSeconds) || serverSeconds < 0) return null;
  const waited = serverSeconds + Math.max(0, now - readAt) / 1000;
  return waited > 366 * 86400 ? null : waited;
}

/**
 * An amount for people, in the UI's language: whole amounts without fraction digits ("100 000 €"), an amount with
 * cents with two ("99 999,50 €"), never rounded to whole units. With a currency, its symbol; without, a bare number.
 */
export function money(amount: number | null | undefined, locale: string, currency?: string | null): string {
  const value = amount ?? 0;
  // Whole once rounded to cents: 99 999.999 shows as 100 000, 99 999.5 as 99 999,50.
  const digits = Math.round(Math.abs(value) * 100) % 100 === 0 ? 0 : 2;
  try {
    return value.toLocaleString(locale, currency
      ? { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }
      : { minimumFractionDigits: digits, maximumFractionDigits: digits });
  } catch { return String(value); }
}

/**
 * Sums of several currencies side by side ("21 $ · 1 ₽"), never added into one figure. Zero sums are left out; when
 * nothing is left, a zero (in the one currency there is, if there is one).
 */
export function moneyByCurrency(sums: readonly { currency: string; amount: number }[] | null | undefined, locale: string): string {
  const list = sums ?? [];
  const shown = list.filter((s) => s.amount !== 0);
  if (shown.length === 0) return money(0, locale, list.length === 1 ? list[0].currency : null);
  return shown.map((s) => money(s.amount, locale, s.currency)).join(' · ');
}

/** A file's size in KB or MB, in the UI's language ("1,5 МБ" in Russian). */
export function fileSize(bytes: number | null | undefined, locale = 'en-GB'): string {
  if (!bytes) return '';
  const ru = locale.startsWith('ru');
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.ceil(bytes / 1024))} ${ru ? 'КБ' : 'KB'}`;
  const mb = (bytes / (1024 * 1024)).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${mb} ${ru ? 'МБ' : 'MB'}`;
}

/** A line to stand for a message (in a quote): its text, else its first file's name. */
export function messageSnippet(m: { text: string | null; attachments: { fileName: string }[] }, max = 120): string {
  const text = (m.text ?? '').replace(/\s+/g, ' ').trim();
  if (text) return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return m.attachments[0] ? m.attachments[0].fileName : '';
}

/** Local wall-clock value for <input type="datetime-local">. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const gsm7 = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const gsm7ext = '^{}\\[~]|€\f';

/** SMS segments as a phone counts them (GSM-7 with its extension table, else UCS-2), for when the server cannot say. */
export function smsSegments(text: string): { encoding: 'GSM-7' | 'UCS-2'; characters: number; segments: number } {
  let units = 0;
  let isGsm = true;
  for (const ch of text) {
    if (gsm7.includes(ch)) units += 1;
    else if (gsm7ext.includes(ch)) units += 2;
    else { isGsm = false; break; }
  }
  if (isGsm) return { encoding: 'GSM-7', characters: units, segments: units === 0 ? 0 : units <= 160 ? 1 : Math.ceil(units / 153) };
  const utf16 = text.length;
  return { encoding: 'UCS-2', characters: utf16, segments: utf16 <= 70 ? 1 : Math.ceil(utf16 / 67) };
}

export function newClientId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto && window.isSecureContext) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

// Raster types only, compared without case or parameters: `image/SVG+xml` is SVG (it can carry script) and must
// never be shown inline. The same list as the server's InlineImageTypes.
const inlineImageTypes = new Set(['image/png', 'image/jpeg', 'image/jpg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif', 'image/heic', 'image/heif']);

export function isInlineImage(contentType: string | null | undefined): boolean {
  return inlineImageTypes.has((contentType ?? '').split(';')[0].trim().toLowerCase());
}

/**
 * An amount as typed, in either decimal separator and with group spaces ("1 500,75", "1500.75"), as the API's number
 * string, or null when it is not one (a number input in a Russian browser dropped the comma: "1500,75" saved 150 075).
 */
export function parseAmount(text: string): string | null {
  const plain = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return /^\d+(\.\d{1,2})?$/.test(plain) ? String(Number(plain)) : null;
}

/** The pattern an amount field checks before it is sent (the same as parseAmount reads). */
export const amountPattern = '[\\s\\u00a0\\u202f]*\\d[\\d\\s\\u00a0\\u202f]*([.,]\\d{1,2})?[\\s\\u00a0\\u202f]*';

/** An amount input's attributes: text with a decimal keyboard, checked by the browser against amountPattern, `hint` its title. */
export const amountField = (hint: string) => ({ type: 'text', inputMode: 'decimal' as const, pattern: amountPattern, title: hint });

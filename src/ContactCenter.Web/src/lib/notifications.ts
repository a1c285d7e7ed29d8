// Notification settings shared by the bell and the settings page, quiet hours, desktop notifications and the beep.
import { body, client, type Schemas } from '../api/client';

export type NotificationKind = 'assigned' | 'mention' | 'activity_due' | 'activity_overdue' | 'sla_breach' | 'automation';
export const notificationKinds: NotificationKind[] = ['assigned', 'mention', 'activity_due', 'activity_overdue', 'sla_breach', 'automation'];

export type QuietHours = Schemas['QuietHours'];
/** GET/PUT /api/me/settings; the document's map by kind is narrowed to the kinds this app knows. */
export type NotificationSettings = Omit<Schemas['NotificationSettings'], 'notifications'> & { notifications: Record<NotificationKind, boolean> };

let current: NotificationSettings | null = null;
const listeners = new Set<(s: NotificationSettings) => void>();

export async function loadSettings(): Promise<NotificationSettings> {
  current = await body(client.GET('/api/me/settings')) as NotificationSettings;
  listeners.forEach((l) => l(current!));
  return current;
}

export async function saveSettings(settings: NotificationSettings): Promise<NotificationSettings> {
  current = await body(client.PUT('/api/me/settings', { body: settings })) as NotificationSettings;
  listeners.forEach((l) => l(current!));
  return current;
}

export function onSettings(listener: (s: NotificationSettings) => void): () => void {
  listeners.add(listener);
  if (current) listener(current);
  return () => { listeners.delete(listener); };
}

/** Minutes since midnight of `at` in the time zone (Intl, so no time-zone table ships with the app). */
function minutesIn(at: Date, timeZone: string): number {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    return get('hour') * 60 + get('minute');
  } catch {
    return at.getUTCHours() * 60 + at.getUTCMinutes();
  }
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True inside quiet hours; a range whose `from` is after `to` runs over midnight (22:00-08:00). */
export function inQuietHours(quiet: QuietHours | null | undefined, at = new Date()): boolean {
  if (!quiet) return false;
  const now = minutesIn(at, quiet.timeZone);
  const from = toMinutes(quiet.from);
  const to = toMinutes(quiet.to);
  return from < to ? now >= from && now < to : now >= from || now < to;
}

export const desktopSupported = () => typeof window !== 'undefined' && 'Notification' in window;

/** Shows a desktop notification when the user allowed them and it is not quiet time; a click focuses the tab and opens the target. */
export function showDesktop(title: string, body: string, tag: string, onClick: () => void): boolean {
  if (!desktopSupported() || Notification.permission !== 'granted' || inQuietHours(current?.quietHours)) return false;
  try {
    const n = new Notification(title, { body, tag });
    n.onclick = () => { window.focus(); onClick(); n.close(); };
    return true;
  } catch {
    return false; // e.g. a mobile browser that only allows notifications from a service worker
  }
}

let audio: AudioContext | null = null;

/** A short two-tone beep through Web Audio (no file to ship), unless sound is off or it is quiet time. */
export function beep(force = false) {
  if (!force && (!current?.sound || inQuietHours(current?.quietHours))) return;
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    [880, 660].forEach((freq, i) => {
      const osc = audio!.createOscillator();
      const gain = audio!.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.08, start + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.12 + 0.11);
      osc.connect(gain).connect(audio!.destination);
      osc.start(start + i * 0.12);
      osc.stop(start + i * 0.12 + 0.12);
    });
  } catch { /* no audio device */ }
}

/** Where a notification leads: its conversation, else its deal, else the activities page. */
export function targetOf(n: { conversationId?: unknown; dealId?: unknown; activityId?: unknown; leadId?: unknown }): string {
  if (n.conversationId) return `/inbox/${encodeURIComponent(String(n.conversationId))}`;
  if (n.activityId) return '/activities';
  if (n.dealId || n.leadId) return '/deals';
  return '/inbox';
}

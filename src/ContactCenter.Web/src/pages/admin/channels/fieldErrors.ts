// The server's 400 field errors (`settings.botToken`, `name`, `settings.routing.mode`) split by where the form shows them.
import { ApiError } from '../../../lib/api';

export interface FieldErrors { name?: string[]; settings: Record<string, string[]>; rules: string[]; other: string[] }

const ruleKeys = ['routing', 'sla', 'businessHours', 'outOfHoursReply', 'acknowledgement', 'csat'];

export function splitErrors(e: unknown): FieldErrors | null {
  if (!(e instanceof ApiError) || e.status !== 400 || !e.errors) return null;
  const out: FieldErrors = { settings: {}, rules: [], other: [] };
  for (const [key, messages] of Object.entries(e.errors)) {
    if (key === 'name') out.name = messages;
    else if (key.startsWith('settings.')) {
      const field = key.slice('settings.'.length).split('.')[0];
      if (ruleKeys.includes(field)) out.rules.push(...messages);
      else out.settings[field] = [...(out.settings[field] ?? []), ...messages];
    } else out.other.push(...messages);
  }
  return out;
}

export const noErrors = (): FieldErrors => ({ settings: {}, rules: [], other: [] });

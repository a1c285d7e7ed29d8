import { calls } from './calls';
import { cannedStrings } from './canned';
import { channels } from './channels';
import { channelSettings } from './channelSettings';
import { channelFields } from './channelFields';
import { hours } from './hours';
import { inboxStrings } from './inbox';
import { phoneStrings } from './phone';
import { states } from './states';
import { labelStrings } from './labels';
import { search } from './search';
import { notifyStrings } from './notify';
import { noticeStrings } from './notices';
import { contactsStrings } from './contacts';
import { cardStrings } from './cards';
import { fieldStrings } from './fields';
import { reportStrings } from './reports';
import { crmUiStrings } from './crmui';
import { boardStrings } from './board';
import { adminStrings } from './admin';
import { panelStrings } from './panel';

// Strings of feature areas, merged into the app's string table (strings.ts). Add one import and one entry per area.
import whatsapp from './whatsapp';

type Area = { en: Record<string, string>; ru: Record<string, string> };
/** Every key of every area (distributes over the union; `keyof (A | B)` would be only the common keys). */
type KeysOf<U> = U extends unknown ? keyof U : never;

function merge<A extends readonly Area[]>(...list: A) {
  type Union = A[number]['en'];
  type Merged = { [K in KeysOf<Union>]: string };
  const en = Object.assign({}, ...list.map((a) => a.en)) as Merged;
  const ru = Object.assign({}, ...list.map((a) => a.ru)) as Merged;
  return { en, ru };
}

export const areas = merge(
  whatsapp,
  calls,
  channels,
  channelSettings,
  channelFields,
  inboxStrings,
  cannedStrings,
  phoneStrings,
  hours,
  states,
  labelStrings,
  search,
  notifyStrings,
  noticeStrings,
  contactsStrings,
  cardStrings,
  fieldStrings,
  reportStrings,
  crmUiStrings,
  boardStrings,
  adminStrings,
  panelStrings,
);

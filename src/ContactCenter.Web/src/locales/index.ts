import { inboxStrings } from './inbox';

// Strings of feature areas, merged into the app's string table (strings.ts). Add one import and one entry per area.
type Area = { en: Record<string, string>; ru: Record<string, string> };

function merge<A extends readonly Area[]>(...list: A) {
  type Union = A[number]['en'];
  type Merged = { [K in Union extends unknown ? keyof Union : never]: string };
  const en = Object.assign({}, ...list.map((a) => a.en)) as Merged;
  const ru = Object.assign({}, ...list.map((a) => a.ru)) as Merged;
  return { en, ru };
}

export const areas = merge(
  inboxStrings,
);

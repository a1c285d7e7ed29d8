import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { flattenPlurals, pluralStrings } from '../locales/plurals';
import { languages, type Language, type StringKey } from '../strings';

export type Translate = (key: StringKey, params?: Record<string, string | number>) => string;

export const LangKey = 'cc.lang';

/** The saved choice, else the browser's language. */
export function initialLanguage(): Language {
  const saved = localStorage.getItem(LangKey);
  if (saved === 'en' || saved === 'ru') return saved;
  return navigator.language?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** An i18next instance over the app's string tables, ready at once (the resources are bundled, nothing is loaded). */
export function createI18n(lng: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    supportedLngs: ['en', 'ru'],
    initAsync: false,
    resources: {
      en: { translation: { ...languages.en, ...flattenPlurals(pluralStrings.en) } },
      ru: { translation: { ...languages.ru, ...flattenPlurals(pluralStrings.ru) } },
    },
    // Keys are flat and some hold dots or colons ('audit_crm-settings.updated'): no nesting, no namespaces in keys.
    keySeparator: false,
    nsSeparator: false,
    // The tables mark parameters `{name}`; React escapes what is rendered.
    interpolation: { prefix: '{', suffix: '}', escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/**
 * The app's `t`: parameters go through `replace` so that a parameter may be called anything (even `lng` or `ns`);
 * a numeric `count` also picks the plural form.
 */
export function translator(instance: i18n, lng: Language): Translate {
  const t = instance.getFixedT(lng);
  return (key, params) => {
    const count = params?.count;
    return t(key, { replace: params ?? {}, ...(typeof count === 'number' ? { count } : {}) }) as string;
  };
}

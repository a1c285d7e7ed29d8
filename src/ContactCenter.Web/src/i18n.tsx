import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { createI18n, initialLanguage, LangKey, translator, type Translate } from './lib/i18next';
import { setApiLanguage } from './lib/api';
import type { Language } from './strings';

export type { Translate };
interface I18n { lang: Language; setLang: (l: Language) => void; t: Translate; locale: string }

/** i18next (through react-i18next) holds the strings and the language; one instance per provider. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [instance] = useState(() => {
    const language = initialLanguage();
    setApiLanguage(language);
    return createI18n(language);
  });
  return <I18nextProvider i18n={instance}><DocumentLanguage />{children}</I18nextProvider>;
}

function DocumentLanguage() {
  const { lang } = useI18n();
  useEffect(() => { document.documentElement.lang = lang; }, [lang]);
  return null;
}

/** The app's view of i18next: the ~220 call sites keep `t(key, params)`, `lang`, `setLang` and `locale`. */
export function useI18n(): I18n {
  const { i18n } = useTranslation();
  const lang: Language = i18n.language === 'ru' ? 'ru' : 'en';
  const setLang = useCallback((l: Language) => { localStorage.setItem(LangKey, l); setApiLanguage(l); void i18n.changeLanguage(l); }, [i18n]);
  return useMemo<I18n>(() => ({ lang, setLang, locale: lang === 'ru' ? 'ru-RU' : 'en-GB', t: translator(i18n, lang) }), [i18n, lang, setLang]);
}

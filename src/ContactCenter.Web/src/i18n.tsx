import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { format, languages, type Language, type StringKey } from './strings';

export type Translate = (key: StringKey, params?: Record<string, string | number>) => string;
interface I18n { lang: Language; setLang: (l: Language) => void; t: Translate; locale: string }

const LangKey = 'cc.lang';
const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  const saved = localStorage.getItem(LangKey);
  if (saved === 'en' || saved === 'ru') return saved;
  return navigator.language?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(initialLanguage);
  const setLang = useCallback((l: Language) => { localStorage.setItem(LangKey, l); setLangState(l); }, []);
  useEffect(() => { document.documentElement.lang = lang; }, [lang]);
  const value = useMemo<I18n>(() => ({
    lang, setLang, locale: lang === 'ru' ? 'ru-RU' : 'en-GB',
    t: (key, params) => format(languages[lang][key] ?? languages.en[key] ?? key, params),
  }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('I18nProvider is missing');
  return value;
}

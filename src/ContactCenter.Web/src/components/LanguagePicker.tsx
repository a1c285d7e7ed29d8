import { useI18n } from '../i18n';
import { loadSettings, saveSettings } from '../lib/notifications';
import type { Language } from '../strings';

/** Signed in, the choice is also kept on the server: emails written to the user (the overdue digest) use it. */
async function rememberLanguage(language: Language) {
  try {
    await saveSettings({ ...(await loadSettings()), language });
  } catch { /* the screen changed language; the emails follow the next time it is picked */ }
}

export function LanguagePicker({ remember = false }: { remember?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang">
      <span className="sr-only">{t('language')}</span>
      <select aria-label={t('language')} value={lang} onChange={(e) => {
        const picked = e.target.value as Language;
        setLang(picked);
        if (remember) void rememberLanguage(picked);
      }}>
        <option value="en">English</option>
        <option value="ru">Русский</option>
      </select>
    </label>
  );
}

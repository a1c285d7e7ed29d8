import { useI18n } from '../i18n';
import type { Language } from '../strings';

export function LanguagePicker() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang">
      <span className="sr-only">{t('language')}</span>
      <select aria-label={t('language')} value={lang} onChange={(e) => setLang(e.target.value as Language)}>
        <option value="en">English</option>
        <option value="ru">Русский</option>
      </select>
    </label>
  );
}

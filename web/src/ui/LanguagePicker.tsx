import { currentLanguage, languages, setLanguage, t } from '../i18n/index.ts';

/** The language picker: the choice is kept on this device. */
export function LanguagePicker({ compact = false }: { compact?: boolean }) {
  return (
    <label class={compact ? 'language compact' : 'language'}>
      {!compact && t('settings.language')}
      <select
        name="language"
        aria-label={t('settings.language')}
        data-testid="language"
        onChange={(event) => setLanguage((event.target as HTMLSelectElement).value, true)}
      >
        {languages.map((language) => (
          <option value={language.code} key={language.code} lang={language.code} selected={language.code === currentLanguage().code}>
            {language.name}
          </option>
        ))}
      </select>
    </label>
  );
}

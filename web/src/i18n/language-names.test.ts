// Languages named for a list (the relay's message languages): in their own script, with the chosen
// language's name beside it, and the direction each is written in.
import { afterEach, describe, expect, it } from 'vitest';
import { directionOf, languageLabel, setLanguage } from './index.ts';

describe('language names', () => {
  afterEach(() => setLanguage('en'));

  it('names a language in itself and in the chosen language, once when both are the same', () => {
    setLanguage('en');
    expect(languageLabel('ne')).toBe('नेपाली (Nepali)');
    expect(languageLabel('ar')).toBe('العربية (Arabic)');
    expect(languageLabel('en')).toBe('English');
    expect(languageLabel('fr')).toBe('Français (French)');
    setLanguage('fr');
    expect(languageLabel('fr')).toBe('Français');
    expect(languageLabel('ne')).toBe('नेपाली (népalais)');
    setLanguage('ar');
    expect(languageLabel('ar')).toBe('العربية');
    expect(languageLabel('so')).toBe('Soomaali (الصومالية)');
  });

  it('shows a code it cannot name as the code', () => {
    expect(languageLabel('not a code')).toBe('not a code');
  });

  it('writes Arabic and Urdu right to left, the rest left to right', () => {
    expect(['ar', 'ur', 'ur-PK', 'fa', 'en', 'ne', 'am'].map(directionOf)).toEqual(['rtl', 'rtl', 'rtl', 'rtl', 'ltr', 'ltr', 'ltr']);
  });
});

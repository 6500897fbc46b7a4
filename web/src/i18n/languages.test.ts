import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { countryName, formatDate, formatNumber, languages, setLanguage, t } from './index.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('languages', () => {
  it('offers at least English, French, Spanish and Arabic, Arabic right to left', () => {
    expect(languages.map((language) => language.code)).toEqual(expect.arrayContaining(['en', 'fr', 'es', 'ar']));
    expect(languages.find((language) => language.code === 'ar')?.direction).toBe('rtl');
  });

  for (const language of languages) {
    it(`${language.code} has exactly English's keys, each with the same {placeholders} and some text`, () => {
      expect(Object.keys(language.messages).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        const translated = (language.messages as Record<string, string>)[key]!;
        expect(placeholders(translated), `${language.code} ${key}`).toEqual(placeholders(text));
        expect(translated.trim().length, `${language.code} ${key}`).toBeGreaterThan(0);
      }
    });
  }

  it('translations are not English copied over (most keys differ)', () => {
    for (const language of languages.filter((item) => item.code !== 'en')) {
      const same = Object.entries(en).filter(([key, text]) => (language.messages as Record<string, string>)[key] === text);
      expect(same.length, `${language.code}: ${same.map(([key]) => key).join(', ')}`).toBeLessThan(Object.keys(en).length / 10);
    }
  });

  it('formats numbers and dates in the chosen locale', () => {
    setLanguage('ar');
    expect(formatDate('2011-02-26T06:02:00.000Z')).toMatch(/[\u0600-\u06ff]/); // Arabic month name
    expect(t('list.people', { count: 64 })).toMatch(/^(64|٦٤) شخصًا$/);
    setLanguage('es');
    expect(formatDate('2011-02-26T06:02:00.000Z')).toMatch(/feb/);
    setLanguage('fr');
    expect(formatNumber(1234.5)).toMatch(/1\s?234,5/);
    setLanguage('en');
    expect(t('list.people', { count: 1234 })).toBe('1,234 people');
  });

  it('names countries in the chosen language, and shows a code it cannot name as it is', () => {
    setLanguage('fr');
    expect(countryName('NP')).toBe('Népal');
    setLanguage('ar');
    expect(countryName('NP')).toMatch(/^[\u0600-\u06ff\s]+$/);
    setLanguage('en');
    expect(countryName('np')).toBe('Nepal');
    expect(countryName('N1')).toBe('N1');
  });
});

import {
  isArgumentElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  parse,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { communityFields, personFields } from '#model/fields';
import { paramsSource } from '../../../scripts/i18n-params.ts';
import { projectRoot } from '../../../scripts/worker-process.ts';
import { countryName, formatDate, formatNumber, languages, setLanguage, t } from './index.ts';

const en = languages.find((language) => language.code === 'en')!.messages;

/** The argument names of an ICU message (it must parse), plural and select ones marked. */
function placeholders(text: string): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (isArgumentElement(element) || isNumberElement(element)) names.add(element.value);
      if (isPluralElement(element) || isSelectElement(element)) {
        names.add(element.value);
        for (const option of Object.values(element.options)) walk(option.value);
      }
    }
  };
  walk(parse(text));
  return [...names].sort();
}

/** Each plural argument of a message with the categories it names. */
function pluralsOf(text: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (isPluralElement(element)) found.set(element.value, Object.keys(element.options));
      if (isPluralElement(element) || isSelectElement(element)) for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  walk(parse(text));
  return found;
}

describe('languages', () => {
  it('offers at least English, French, Spanish and Arabic, Arabic right to left', () => {
    expect(languages.map((language) => language.code)).toEqual(expect.arrayContaining(['en', 'fr', 'es', 'ar']));
    expect(languages.find((language) => language.code === 'ar')?.direction).toBe('rtl');
  });

  for (const language of languages) {
    it(`${language.code} has exactly English's keys, each an ICU message with the same arguments and some text`, () => {
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

  it('says 1 person and 2 people, and uses the six Arabic plural forms (issue 17: English said "1 people")', () => {
    setLanguage('en');
    expect([1, 2, 1234].map((count) => t('list.people', { count }))).toEqual(['1 person', '2 people', '1,234 people']);
    expect(t('import.run', { count: 1 })).toBe('Check, seal and import 1 row');
    setLanguage('fr');
    expect([0, 1, 2].map((count) => t('list.people', { count }))).toEqual(['0 personne', '1 personne', '2 personnes']);
    expect(t('import.run', { count: 1 })).toBe('Vérifier, sceller et importer 1 ligne');
    expect(t('list.conflicts', { count: 2 })).toMatch(/^2 fiches ont été modifiées/);
    setLanguage('es');
    expect([1, 2].map((count) => t('list.people', { count }))).toEqual(['1 persona', '2 personas']);
    expect(t('lock.remaining', { count: 1 })).toBe('Queda 1 intento antes de que este dispositivo se borre.');
    setLanguage('ar');
    const arabic = [0, 1, 2, 3, 11, 100].map((count) => t('list.people', { count }));
    expect(new Set(arabic).size).toBe(6);
    expect(arabic[1]).toBe('شخص واحد');
    expect(arabic[2]).toBe('شخصان');
    setLanguage('en');
  });

  it('every count is a plural in every language, with each category the language needs for whole numbers (Arabic six)', () => {
    for (const language of languages) {
      const rules = new Intl.PluralRules(language.code);
      // French and Spanish 'many' is for millions ("1 000 000 de personnes"): left to 'other'.
      const needed = new Set(Array.from({ length: 1001 }, (_, count) => rules.select(count)));
      const allowed = new Set<string>(rules.resolvedOptions().pluralCategories);
      for (const [key, text] of Object.entries(en)) {
        const translated = pluralsOf((language.messages as Record<string, string>)[key]!);
        for (const argument of pluralsOf(text).keys()) {
          const categories = translated.get(argument) ?? [];
          const named = categories.filter((category) => !category.startsWith('='));
          expect(
            [...needed].filter((category) => !named.includes(category)),
            `${language.code} ${key}: missing`,
          ).toEqual([]);
          expect(
            named.filter((category) => !allowed.has(category)),
            `${language.code} ${key}: not a category of ${language.code}`,
          ).toEqual([]);
        }
      }
    }
    setLanguage('ar');
    expect([1, 2, 3, 11, 100].map((count) => t('lock.remaining', { count }))).toEqual([
      'تبقّت محاولة واحدة قبل أن يمسح الجهاز نفسه.',
      'تبقّت محاولتان قبل أن يمسح الجهاز نفسه.',
      'تبقّت 3 محاولات قبل أن يمسح الجهاز نفسه.',
      'تبقّت 11 محاولةً قبل أن يمسح الجهاز نفسه.',
      'تبقّت 100 محاولة قبل أن يمسح الجهاز نفسه.',
    ]);
    setLanguage('en');
  });

  it('types each message’s arguments from the English catalogue (params.ts is what `npm run i18n` writes)', () => {
    const check = spawnSync('npm', ['run', '--silent', 'i18n', '--', '--check'], { cwd: projectRoot, encoding: 'utf8' });
    expect(check.stderr + check.stdout).toContain('params.ts matches catalogue/en.json');
    expect(check.status).toBe(0);
    expect(
      paramsSource({
        a: 'x {name} and {count, plural, one {# row} other {# rows}}',
        b: 'no argument',
        c: '{kind, select, cso {CSO} other {other}}',
      }),
    ).toContain("  'a': { name: string | number; count: number };\n  'c': { kind: string };");
  });

  it('has a label for every field of the catalogue and every choice of it (model/src/fields.ts)', () => {
    const missing: string[] = [];
    for (const field of [...communityFields, ...personFields]) {
      for (const label of [field.label, field.shown ?? field.label]) if (!Object.hasOwn(en, label)) missing.push(`${field.name}: ${label}`);
      if (field.input.kind === 'choice' || field.input.kind === 'choices')
        for (const option of field.input.options)
          if (!Object.hasOwn(en, `${field.input.labels}.${option}`)) missing.push(`${field.name}: ${field.input.labels}.${option}`);
    }
    expect(missing).toEqual([]);
  });

  it('formats numbers and dates in the chosen locale', () => {
    setLanguage('ar');
    expect(formatDate('2011-02-26T06:02:00.000Z')).toMatch(/[\u0600-\u06ff]/); // Arabic month name
    expect(t('list.people', { count: 64 })).toMatch(/^(64|٦٤) شخصًا$/);
    expect(t('list.title', { count: 1234 })).toMatch(/1,234|١٬٢٣٤/);
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

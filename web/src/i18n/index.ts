// Text lookup. A language is one catalogue, catalogue/<code>.json, in the Format.JS JSON format
// (each key's ICU MessageFormat message as "defaultMessage", English's with a "description" for
// translators where a message needs one), with exactly English's keys (checked by
// languages.test.ts): the format of the library that formats them, which translation platforms
// import with ICU checks (docs/translating.md). English is the fallback. The arguments each message takes are typed from English (params.ts, npm run i18n).
// Numbers and dates go through Intl in the chosen locale. The choice is kept on the device
// (localStorage: it is needed before unlock, and a language is not personal data).
import arCatalogue from './catalogue/ar.json';
import enCatalogue from './catalogue/en.json';
import esCatalogue from './catalogue/es.json';
import frCatalogue from './catalogue/fr.json';
import type { MessageParams } from './params.ts';
import { IntlMessageFormat } from 'intl-messageformat';
import {
  isArgumentElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  isTagElement,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';

export type MessageKey = keyof typeof enCatalogue;
/** A language's messages by key (a catalogue without its descriptions). */
export type Messages = Readonly<Record<string, string>>;

/** A catalogue as the Format.JS JSON format writes it. */
type Catalogue = Readonly<Record<string, { defaultMessage: string; description?: string }>>;

function messagesOf(catalogue: Catalogue): Messages {
  return Object.fromEntries(Object.entries(catalogue).map(([key, entry]) => [key, entry.defaultMessage]));
}

const en = messagesOf(enCatalogue);

/** The arguments `t(key, ...)` takes: exactly the message's own, or none. */
export type MessageArguments<Key extends MessageKey> = Key extends keyof MessageParams
  ? [params: MessageParams[Key]]
  : [params?: Record<string, never>];

export interface Language {
  code: string;
  /** The language's own name, shown in the picker. */
  name: string;
  direction: 'ltr' | 'rtl';
  messages: Messages;
}

export const languages: Language[] = [
  { code: 'en', name: 'English', direction: 'ltr', messages: en },
  { code: 'fr', name: 'Français', direction: 'ltr', messages: messagesOf(frCatalogue) },
  { code: 'es', name: 'Español', direction: 'ltr', messages: messagesOf(esCatalogue) },
  { code: 'ar', name: 'العربية', direction: 'rtl', messages: messagesOf(arCatalogue) },
];

const STORAGE_KEY = 'buffer.language';
let current: Language = languages[0]!;
let numberFormat = new Intl.NumberFormat('en');
let dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
let regionNames = regionDisplay('en');
const listeners = new Set<() => void>();

export function languageFor(code: string | null | undefined): Language {
  const short = (code ?? '').slice(0, 2).toLowerCase();
  return languages.find((language) => language.code === short) ?? languages[0]!;
}

export function currentLanguage(): Language {
  return current;
}

export function setLanguage(code: string, remember = false) {
  current = languageFor(code);
  numberFormat = new Intl.NumberFormat(current.code);
  dateFormat = new Intl.DateTimeFormat(current.code, { dateStyle: 'medium', timeStyle: 'short' });
  regionNames = regionDisplay(current.code);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = current.code;
    document.documentElement.dir = current.direction;
  }
  if (remember && typeof localStorage !== 'undefined') localStorage.setItem(STORAGE_KEY, current.code);
  for (const listener of listeners) listener();
}

/** The language the device was set to, else the browser's. */
export function startLanguage(): string {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return stored ?? (typeof navigator !== 'undefined' ? navigator.language : 'en');
}

export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Messages are ICU MessageFormat (intl-messageformat): `{name}` for a value, `{count, plural, one
// {# person} other {# people}}` for counts, with each language's own plural categories (Arabic has
// six). A number given to a plain `{name}` is written with the locale's grouping, as before.
const compiled = new Map<string, { format: IntlMessageFormat; counted: Set<string>; names: Set<string> }>();

/** The argument names of a message, and those a plural or select chooses on. */
function argumentsOf(elements: readonly MessageFormatElement[], names = new Set<string>(), counted = new Set<string>()) {
  for (const element of elements) {
    if (isArgumentElement(element) || isNumberElement(element)) names.add(element.value);
    if (isPluralElement(element) || isSelectElement(element)) {
      names.add(element.value);
      counted.add(element.value);
      for (const option of Object.values(element.options)) argumentsOf(option.value, names, counted);
    }
    if (isTagElement(element)) argumentsOf(element.children, names, counted);
  }
  return { names, counted };
}

function compile(language: Language, key: string) {
  const id = `${language.code} ${key}`;
  let entry = compiled.get(id);
  if (!entry) {
    const format = new IntlMessageFormat(language.messages[key] ?? en[key] ?? key, language.code);
    entry = { format, ...argumentsOf(format.getAst()) };
    compiled.set(id, entry);
  }
  return entry;
}

export function t<Key extends MessageKey>(key: Key, ...[params]: MessageArguments<Key>): string {
  return formatMessage(key, params ?? {});
}

type After<Prefix extends string, Key> = Key extends `${Prefix}${infer Rest}` ? Rest : never;
/** The keys under a prefix ('plans.'), without it: what a screen's m() takes. */
export type ScopedKey<Prefix extends string> = After<Prefix, MessageKey>;
type Joined<Prefix extends string, Key extends string> = `${Prefix}${Key}` extends infer Full extends MessageKey ? Full : never;

/** t() for the keys under one prefix, with the same typed arguments: the plan screens' m('title') is t('plans.title'). */
export function scoped<Prefix extends string>(prefix: Prefix) {
  return <Key extends ScopedKey<Prefix>>(key: Key, ...[params]: MessageArguments<Joined<Prefix, Key>>): string =>
    formatMessage(`${prefix}${key}`, params ?? {});
}

/**
 * t() for a key chosen at run time (a status held in state, a key made from a code): the arguments
 * are the caller's to get right. A key that is not in the catalogue shows as itself.
 */
export function formatMessage(key: string, params: Readonly<Record<string, string | number>> = {}): string {
  if (!Object.hasOwn(en, key)) return key;
  const { format, counted, names } = compile(current, key);
  const values: Record<string, string | number> = {};
  for (const name of names) {
    const value = params[name];
    // A value the caller left out shows as {name}, as a sign of the gap rather than a crash.
    values[name] = value === undefined ? `{${name}}` : typeof value === 'number' && !counted.has(name) ? numberFormat.format(value) : value;
  }
  return String(format.format(values));
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** Null where the browser has no Intl.DisplayNames: country codes are then shown as they are. */
function regionDisplay(code: string): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames([code], { type: 'region' });
  } catch {
    return null;
  }
}

/** A country's name in the chosen language from its two-letter code (NP: Nepal), else the code. */
export function countryName(code: string): string {
  try {
    return regionNames?.of(code.toUpperCase()) ?? code;
  } catch {
    // Not a well-formed region code (records from old imports can hold anything): show it as typed.
    return code;
  }
}

/** Languages written right to left, beyond the app's own (Arabic). */
const RIGHT_TO_LEFT = new Set(['ar', 'ur', 'fa', 'he', 'ps']);

/** The direction a text in a language is written in (ur: rtl), from its code ('ur' or 'ur-PK'). */
export function directionOf(code: string): 'ltr' | 'rtl' {
  const short = code.split('-')[0]!.toLowerCase();
  return languages.find((language) => language.code === short)?.direction ?? (RIGHT_TO_LEFT.has(short) ? 'rtl' : 'ltr');
}

const languageDisplays = new Map<string, Intl.DisplayNames | null>();

/** A language's name written in `locale` (ne in en: Nepali), else null (no Intl.DisplayNames, or a malformed code). */
function languageNameIn(locale: string, code: string): string | null {
  if (!languageDisplays.has(locale)) {
    try {
      languageDisplays.set(locale, new Intl.DisplayNames([locale], { type: 'language' }));
    } catch {
      languageDisplays.set(locale, null);
    }
  }
  try {
    return languageDisplays.get(locale)?.of(code) ?? null;
  } catch {
    return null;
  }
}

/**
 * A language as a list of languages shows it: its own name, and its name in the chosen language
 * when that differs (ne in English: "नेपाली (Nepali)"; fr in French: "Français"). The app's own
 * languages keep the names the language picker shows; others come from Intl.DisplayNames, and a
 * code it does not know shows as the code.
 */
export function languageLabel(code: string): string {
  const own = languages.find((language) => language.code === code)?.name ?? languageNameIn(code, code) ?? code;
  const here = languageNameIn(current.code, code) ?? code;
  return own.toLowerCase() === here.toLowerCase() ? own : `${own} (${here})`;
}

export function formatDate(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : dateFormat.format(time);
}

// Phone numbers as people type them, to the international form (E.164: "+", country calling code,
// national number, digits only) that SMS gateways, sms: links and WhatsApp's wa.me links need.
// A national number ("091 234 5678") means something only with a country, which the caller passes
// in (the country whose territory holds the community, or one chosen on the device: decision 0802);
// the model does not guess it. The numbering plans are libphonenumber-js's (the "min" metadata:
// country calling codes, national prefixes, number lengths and leading digits).
import {
  getCountries,
  isSupportedCountry,
  ParseError,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js';

/** A number in E.164 form, checked against its country's numbering plan: only readPhone makes one. */
export type E164 = string & { readonly brand: 'E164' };

/**
 * Why a number cannot be put in international form: nothing typed; characters that are not part
 * of a number (letters, a note beside it); a national number without a country to read it in; a
 * "+" code no country has; too few or too many digits; digits no number of that country starts with.
 */
export const phoneProblems = [
  'empty',
  'not-a-number',
  'needs-country',
  'unknown-country-code',
  'too-short',
  'too-long',
  'invalid',
] as const;
export type PhoneProblem = (typeof phoneProblems)[number];

export type PhoneReading =
  | {
      ok: true;
      e164: E164;
      /** The country the number belongs to (ISO 3166-1 alpha-2), when its calling code tells. */
      country: string | undefined;
      /** The same number grouped for reading: "+218 91 2345678". */
      international: string;
    }
  | { ok: false; problem: PhoneProblem };

/**
 * Every decimal digit Unicode knows as its ASCII digit: people type phone numbers with Arabic-Indic
 * (٠٩١), Persian, Devanagari (०९८) or Bengali (০১৭) digits, and libphonenumber-js reads only some of
 * them. Each script's digits are ten consecutive code points from zero, so a digit's value is its
 * distance from the start of its run.
 */
function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (digit) => {
    let zero = digit.codePointAt(0)!;
    while (zero > 0 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
    return String((digit.codePointAt(0)! - zero) % 10);
  });
}

/** What may stand in a typed number besides digits: a leading "+", spaces, dashes, dots, slashes, parentheses. */
const numberShape = /^\+?[\d\s\p{Pd}.()/]+$/u;

const countryOf = (code: string | null | undefined): CountryCode | undefined => {
  const upper = code?.toUpperCase();
  return upper && isSupportedCountry(upper) ? upper : undefined;
};

/**
 * What a person typed as a phone number, in E.164, or why it cannot be. `defaultCountry` (ISO
 * 3166-1 alpha-2) is the country a number without "+" or "00" is read in; without one, only
 * international forms can be read. "00" before the country code is read as "+", the international
 * prefix in most of the world, so it works without a country too.
 */
export function readPhone(typed: string, defaultCountry?: string | null): PhoneReading {
  // NFKC turns full-width digits and the full-width plus into ASCII; no-break spaces into spaces.
  const text = asciiDigits(typed.normalize('NFKC')).trim();
  if (text === '') return { ok: false, problem: 'empty' };
  if (!numberShape.test(text) || !/\d/.test(text)) return { ok: false, problem: 'not-a-number' };
  const international = text.replace(/^00\s*/, '+');
  const country = countryOf(defaultCountry);
  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(international, country);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    if (error.message === 'INVALID_COUNTRY')
      return { ok: false, problem: international.startsWith('+') ? 'unknown-country-code' : 'needs-country' };
    if (error.message === 'TOO_SHORT') return { ok: false, problem: 'too-short' };
    if (error.message === 'TOO_LONG') return { ok: false, problem: 'too-long' };
    return { ok: false, problem: 'not-a-number' };
  }
  if (!parsed.isValid()) {
    // A wrong length is the usual slip (a digit missed or doubled); say which way it is wrong.
    const length = validatePhoneNumberLength(international, country);
    return { ok: false, problem: length === 'TOO_SHORT' ? 'too-short' : length === 'TOO_LONG' ? 'too-long' : 'invalid' };
  }
  return { ok: true, e164: parsed.number as E164, country: parsed.country, international: parsed.formatInternational() };
}

/** The countries whose numbering plans are known (ISO 3166-1 alpha-2), for a form to offer. */
export function phoneCountries(): string[] {
  return getCountries();
}

/** True when `text` is already a valid number written in E.164, as the record forms store one. */
export function isE164(text: string): text is E164 {
  if (!/^\+[1-9]\d{6,14}$/.test(text)) return false;
  const reading = readPhone(text);
  return reading.ok && reading.e164 === text;
}

/** The E.164 form of a stored or typed number, or null when it cannot be read: what links and files are made from. */
export function e164Of(text: string | undefined, defaultCountry?: string | null): E164 | null {
  if (!text) return null;
  const reading = readPhone(text, defaultCountry);
  return reading.ok ? reading.e164 : null;
}

/** What a record keeps for a phone field, and what to tell the person when it is not in E.164. */
export interface StoredPhone {
  /** Absent when the field was left empty. */
  value: string | undefined;
  /** Why `value` is kept as typed; null when it is in E.164 or was left as it was stored. */
  problem: PhoneProblem | null;
}

/**
 * The phone a form or an import row saves: E.164 when what was typed can be read, else exactly
 * what was typed (nothing a person wrote is thrown away; the problem says why it stays so). A
 * number left as it was stored is kept as stored: opening an old record and saving another
 * change does not rewrite its phone behind the person's back.
 */
export function phoneToStore(typed: string, stored: string | undefined, defaultCountry: string | null | undefined): StoredPhone {
  const text = typed.trim();
  if (text === '') return { value: undefined, problem: null };
  if (stored !== undefined && text === stored.trim()) return { value: stored, problem: null };
  const reading = readPhone(text, defaultCountry);
  return reading.ok ? { value: reading.e164, problem: null } : { value: text, problem: reading.problem };
}

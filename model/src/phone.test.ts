import { describe, expect, it } from 'vitest';
import { e164Of, isE164, phoneToStore, readPhone } from './phone.ts';

const e164 = (typed: string, country?: string) => {
  const reading = readPhone(typed, country);
  return reading.ok ? reading.e164 : reading.problem;
};

describe('readPhone: what was typed, in E.164', () => {
  it.each([
    // Libya: mobile numbers as written on a SIM card sleeve, with the trunk 0, and without it.
    ['091 234 5678', 'LY', '+218912345678'],
    ['092-555-5555', 'LY', '+218925555555'],
    ['912345678', 'LY', '+218912345678'],
    ['(021) 444 5555', 'LY', '+218214445555'],
    // Sudan, Nepal (a mobile and a Kathmandu line), Bangladesh, Egypt, Ethiopia.
    ['0912 345 678', 'SD', '+249912345678'],
    ['984-1234567', 'NP', '+9779841234567'],
    ['01-4412345', 'NP', '+97714412345'],
    ['01712-345678', 'BD', '+8801712345678'],
    ['010 1234 5678', 'EG', '+201012345678'],
    ['0911 234 567', 'ET', '+251911234567'],
  ])('%s read in %s is %s', (typed, country, expected) => {
    expect(e164(typed, country)).toBe(expected);
  });

  it.each([
    ['+218 91 234 5678', '+218912345678'],
    ['+249 91 234 5678', '+249912345678'],
    ['+977 984-123-4567', '+9779841234567'],
    ['+880 1712-345678', '+8801712345678'],
    ['+20 10 1234 5678', '+201012345678'],
    ['+251-91-123-4567', '+251911234567'],
    // The international prefix 00 instead of +, with or without a space after it.
    ['00218 91 234 5678', '+218912345678'],
    ['00 977 9841234567', '+9779841234567'],
    ['002010 1234 5678', '+201012345678'],
    // The trunk 0 written after the country code, a habit from the United Kingdom and Egypt.
    ['+218 (0)91 234 5678', '+218912345678'],
    ['+249 0912 345 678', '+249912345678'],
  ])('%s needs no country: %s', (typed, expected) => {
    expect(e164(typed)).toBe(expected);
    // A default country does not change a number that says its own.
    expect(e164(typed, 'NP')).toBe(expected);
  });

  it('reads digits in the scripts people type them in, and full-width ones', () => {
    expect(e164('٠٩١٢٣٤٥٦٧٨', 'LY')).toBe('+218912345678');
    expect(e164('۰۹۱۲۳۴۵۶۷۸', 'LY')).toBe('+218912345678');
    expect(e164('९८४१२३४५६७', 'NP')).toBe('+9779841234567');
    expect(e164('০১৭১২৩৪৫৬৭৮', 'BD')).toBe('+8801712345678');
    expect(e164('＋２１８ ９１ ２３４ ５６７８')).toBe('+218912345678');
    expect(e164('091\u00a0234\u00a05678', 'LY')).toBe('+218912345678');
    expect(e164('091–234–5678', 'LY')).toBe('+218912345678');
  });

  it('says why a number cannot be read', () => {
    expect(e164('091 234 5678')).toBe('needs-country');
    expect(e164('091 234 5678', 'XX')).toBe('needs-country');
    expect(e164('+999 123 456 789')).toBe('unknown-country-code');
    expect(e164('12 34', 'LY')).toBe('too-short');
    expect(e164('091 23', 'LY')).toBe('too-short');
    // One digit missed: eight digits is a Libyan landline's length, but no landline starts with 91.
    expect(e164('091 234 567', 'LY')).toBe('invalid');
    expect(e164('091 234 56789', 'LY')).toBe('too-long');
    // A Nepali mobile read as Libyan: ten digits after the trunk 0 is one too many for Libya.
    expect(e164('9841234567', 'LY')).toBe('too-long');
    // The right length, but no Nepali number starts with 09.
    expect(e164('0912345678', 'NP')).toBe('invalid');
    expect(e164('', 'LY')).toBe('empty');
    expect(e164('   ', 'LY')).toBe('empty');
    // A note beside the number, letters, an extension, a second number: kept as typed by the caller.
    expect(e164('091 234 5678 (brother)', 'LY')).toBe('not-a-number');
    expect(e164('tel:+218912345678')).toBe('not-a-number');
    expect(e164('+218 91 234 5678 ext. 12')).toBe('not-a-number');
    expect(e164('218+912345678', 'LY')).toBe('not-a-number');
    expect(e164('---', 'LY')).toBe('not-a-number');
    expect(e164('0912345678 / 0923456789', 'LY')).toBe('too-long');
  });

  it('gives the country and a readable international form', () => {
    expect(readPhone('0912 345 678', 'SD')).toEqual({ ok: true, e164: '+249912345678', country: 'SD', international: '+249 91 234 5678' });
    expect(readPhone('+977 984 1234567', 'LY')).toMatchObject({ ok: true, country: 'NP' });
  });
});

describe('isE164', () => {
  it('accepts only valid numbers already written in E.164', () => {
    expect(isE164('+218912345678')).toBe(true);
    expect(isE164('+218 91 234 5678')).toBe(false);
    expect(isE164('00218912345678')).toBe(false);
    expect(isE164('0912345678')).toBe(false);
    expect(isE164('+21851234567')).toBe(false);
    expect(isE164('+999123456789')).toBe(false);
  });
});

describe('e164Of', () => {
  it('gives what a link is made from, or nothing', () => {
    expect(e164Of('091 234 5678', 'LY')).toBe('+218912345678');
    expect(e164Of('091 234 5678')).toBeNull();
    expect(e164Of('12 34', 'LY')).toBeNull();
    expect(e164Of(undefined, 'LY')).toBeNull();
  });
});

describe('phoneToStore', () => {
  it('stores E.164 when what was typed can be read', () => {
    expect(phoneToStore(' 091 234 5678 ', undefined, 'LY')).toEqual({ value: '+218912345678', problem: null });
  });

  it('keeps what was typed, and says why, when it cannot', () => {
    expect(phoneToStore('091 234 5678', undefined, null)).toEqual({ value: '091 234 5678', problem: 'needs-country' });
    expect(phoneToStore('091 234 5678 (brother)', undefined, 'LY')).toEqual({ value: '091 234 5678 (brother)', problem: 'not-a-number' });
  });

  it('leaves a stored number as it was when the field was not changed', () => {
    expect(phoneToStore('091 234 5678', '091 234 5678', 'LY')).toEqual({ value: '091 234 5678', problem: null });
    expect(phoneToStore('0912 345', '0912 345', 'LY')).toEqual({ value: '0912 345', problem: null });
    // Changed: read again.
    expect(phoneToStore('091 234 5679', '091 234 5678', 'LY')).toEqual({ value: '+218912345679', problem: null });
  });

  it('stores nothing for an empty field', () => {
    expect(phoneToStore('  ', '+218912345678', 'LY')).toEqual({ value: undefined, problem: null });
  });
});

import { describe, expect, it } from 'vitest';
import { demoRecords, generateRecords, loadScenario } from '#fixtures';
import type { Person } from '#model/records';
import { buildSearchIndex, search } from './index.ts';
import { editDistance, foldLatin, phoneDigits, romanise, soundKey } from './normalise.ts';

const libya = demoRecords();
const sudan = generateRecords(loadScenario('sudan-2023'), { seed: 'search', communities: 300 });
const records = [...libya.communities, ...libya.persons, ...sudan.communities, ...sudan.persons];
const persons = records.filter((record): record is Person => record.kind === 'person');
const index = buildSearchIndex(records);
const ids = (query: string) => new Set(search(index, query).map((hit) => hit.id));

describe('normalise', () => {
  it('folds diacritics and case', () => {
    expect(foldLatin('Nguyễn Thị  Ánh')).toBe('nguyen thi anh');
    expect(foldLatin('Hüseyin Şahin')).toBe('huseyin sahin');
  });

  it('gives spelling variants and other scripts the same sound key', () => {
    for (const [a, b] of [
      ['Mohamed', 'Muhammad'],
      ['Mohammed', 'محمد'],
      ['Youssef', 'Yusuf'],
      ['Hussein', 'Hossain'],
      ['Sita', 'सीता'],
      ['Gurung', 'गुरुङ'],
      ['Laxmi', 'Lakshmi'],
      ['Rahim', 'রহিম'],
    ]) {
      expect(soundKey(romanise(a!)), `${a} / ${b}`).toBe(soundKey(romanise(b!)));
    }
    expect(soundKey('Sita')).not.toBe(soundKey('Gita'));
  });

  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('tesfaye', 'tesfyae')).toBe(1);
    expect(editDistance('abebe', 'kebede', 1)).toBe(2);
    expect(phoneDigits('+977 (980) 12-34')).toBe('9779801234');
  });
});

describe('search over fixtures', () => {
  it('finds a person by a different Latin spelling of the same name', () => {
    const target = persons.find((person) => /\bMohamed\b/.test(person.nameLatin ?? ''))!;
    expect(target).toBeDefined();
    const family = target.nameLatin!.split(' ').slice(-1)[0]!;
    expect(ids(`Muhammad ${family}`).has(target.id)).toBe(true);
  });

  it('finds people written in Devanagari from a Latin query, and the reverse', () => {
    const nepali = persons.find((person) => person.nationality === 'NP' && /[\u0900-\u097f]/.test(person.name))!;
    expect(ids(nepali.nameLatin!).has(nepali.id)).toBe(true);
    expect(ids(nepali.name).has(nepali.id)).toBe(true);
  });

  it('finds an Arabic-script name from its romanisation without a nameLatin match', () => {
    const arabic = persons.find((person) => /[\u0600-\u06ff]/.test(person.name) && person.name.includes('محمد'))!;
    expect(arabic).toBeDefined();
    const hits = search(index, 'محمد');
    expect(hits.map((hit) => hit.id)).toContain(arabic.id);
    expect(ids('mohamad').has(arabic.id)).toBe(true);
  });

  it('tolerates a typo', () => {
    const target = persons.find((person) => (person.nameLatin ?? '').split(' ').some((part) => part.length >= 6))!;
    const word = target.nameLatin!.split(' ').find((part) => part.length >= 6)!;
    const typo = word.slice(0, 2) + word[3] + word[2] + word.slice(4);
    expect(ids(typo).has(target.id)).toBe(true);
  });

  it('matches phone numbers by their last digits, whatever the spacing', () => {
    const withPhone = persons.find((person) => person.phone && phoneDigits(person.phone).length >= 9)!;
    const digits = phoneDigits(withPhone.phone!);
    const spaced = digits.slice(-8).replace(/(\d{3})(\d{3})(\d{2})/, '$1 $2-$3');
    const hits = search(index, spaced);
    expect(hits[0]!.matched).toContain('phone');
    expect(hits.map((hit) => hit.id)).toContain(withPhone.id);
    expect(ids('00000000').size).toBe(0);
  });

  it('filters by nationality, by code or by country name, combined with a place', () => {
    const eritreans = ids('ER');
    expect(eritreans.size).toBeGreaterThan(0);
    for (const id of eritreans) {
      const record = records.find((item) => item.id === id)!;
      const codes = record.kind === 'person' ? [record.nationality] : record.nationalities.map((item) => item.code);
      expect(codes).toContain('ER');
    }
    const byName = ids('Eritrea');
    for (const id of eritreans) expect(byName.has(id)).toBe(true);
    const place = sudan.communities.find((community) => community.placeName)!.placeName!;
    const word = foldLatin(place)
      .split(' ')
      .find((part) => part.length >= 4)!;
    const inPlace = search(index, word);
    expect(inPlace.length).toBeGreaterThan(0);
    expect(inPlace.some((hit) => hit.matched.includes('place'))).toBe(true);
  });

  it('needs every word to match', () => {
    expect(ids('Mohamed zzzzqqq').size).toBe(0);
  });
});

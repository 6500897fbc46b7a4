// Search and tracing over the org's decrypted records, in memory on the officer's device. Which
// fields are names, phones, nationalities or places comes from the field catalogue.
// Names match across scripts and spellings (normalise.ts), phones by their digits (the end of a
// number, so +977 98… and 098… meet), nationalities by code or name, places by word.
import { fieldsOf, type Field } from '#model/fields';
import type { RecordBody } from '#model/records';
import { editDistance, foldLatin, phoneDigits, romanise, soundKey } from './normalise.ts';

export interface NameToken {
  text: string;
  key: string;
}

export interface SearchEntry {
  id: string;
  kind: RecordBody['kind'];
  names: NameToken[];
  phones: string[];
  nationalities: string[];
  places: string[];
}

export type MatchKind = 'name' | 'phone' | 'nationality' | 'place';

export interface SearchHit {
  id: string;
  score: number;
  matched: MatchKind[];
}

export interface SearchIndex {
  entries: SearchEntry[];
  /** Folded country names (English and the UI language) to codes, for "nepal" → NP. */
  countryNames: Map<string, string>;
}

export function words(text: string): string[] {
  return foldLatin(text).split(' ').filter(Boolean);
}

export function nameTokens(...names: (string | undefined)[]): NameToken[] {
  const seen = new Map<string, NameToken>();
  for (const name of names) {
    if (!name) continue;
    for (const text of words(romanise(name))) if (!seen.has(text)) seen.set(text, { text, key: soundKey(text) });
  }
  return [...seen.values()];
}

/** The values of a record's fields that search matches as `kind` (model/src/fields.ts says which). */
function searched(record: RecordBody, kind: NonNullable<Field['search']>): string[] {
  const fields: readonly Field[] = fieldsOf[record.kind];
  return fields
    .filter((field) => field.search === kind)
    .flatMap((field) => {
      const value = field.read(record);
      return typeof value === 'string' ? [value] : typeof value === 'object' ? [...value] : [];
    })
    .filter(Boolean);
}

export function entryOf(record: RecordBody, communityNames?: Map<string, string>): SearchEntry {
  const places = new Set<string>();
  const addPlace = (text?: string) => text && words(romanise(text)).forEach((word) => places.add(word));
  for (const text of searched(record, 'place')) addPlace(text);
  // Every place the record was ever at, and a person's community by name.
  for (const entry of record.history) addPlace(entry.placeName);
  if (record.kind === 'person' && record.communityId) addPlace(communityNames?.get(record.communityId));
  return {
    id: record.id,
    kind: record.kind,
    names: nameTokens(...searched(record, 'name')),
    phones: searched(record, 'phone').map(phoneDigits),
    nationalities: searched(record, 'nationality'),
    places: [...places],
  };
}

function countryNames(codes: Iterable<string>, locales: string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const locale of locales) {
    let display: Intl.DisplayNames;
    try {
      display = new Intl.DisplayNames([locale], { type: 'region' });
    } catch {
      continue;
    }
    for (const code of codes) {
      const name = display.of(code);
      if (name && name !== code) names.set(foldLatin(romanise(name)), code);
    }
  }
  return names;
}

export function buildSearchIndex(records: readonly RecordBody[], locales: string[] = ['en']): SearchIndex {
  const communityNames = new Map<string, string>();
  for (const record of records) if (record.kind === 'community') communityNames.set(record.id, record.name);
  const entries = records.map((record) => entryOf(record, communityNames));
  const codes = new Set(entries.flatMap((entry) => entry.nationalities));
  return { entries, countryNames: countryNames(codes, [...new Set(['en', ...locales])]) };
}

/** How well one query word matches one name word: 0 for not at all. */
export function nameScore(query: NameToken, token: NameToken): number {
  if (query.text === token.text) return 4;
  if (query.text.length >= 3 && token.text.startsWith(query.text)) return 3;
  if (query.text.length >= 3 && query.key.length >= 2 && query.key === token.key) return 3;
  const limit = query.text.length >= 8 ? 2 : query.text.length >= 4 ? 1 : 0;
  if (limit > 0 && editDistance(query.text, token.text, limit) <= limit) return 2;
  return 0;
}

type QueryPart = { kind: 'phone'; digits: string } | { kind: 'word'; token: NameToken; code: string | null };

export function parseQuery(query: string, index: Pick<SearchIndex, 'countryNames'>): QueryPart[] {
  const parts: QueryPart[] = [];
  const raw = query.trim();
  // A phone number may be typed with spaces: take every run of digits and separators as one.
  const phoneRuns = raw.match(/\+?\d[\d\s().-]{2,}\d/g) ?? [];
  let rest = raw;
  for (const run of phoneRuns) {
    const digits = phoneDigits(run);
    if (digits.length >= 4) {
      parts.push({ kind: 'phone', digits });
      rest = rest.replace(run, ' ');
    }
  }
  const folded = foldLatin(romanise(rest));
  // Country names of several words ("south sudan") first.
  let remaining = ` ${folded} `;
  for (const [name, code] of index.countryNames) {
    if (name.includes(' ') && remaining.includes(` ${name} `)) {
      parts.push({ kind: 'word', token: { text: name, key: soundKey(name) }, code });
      remaining = remaining.replace(` ${name} `, ' ');
    }
  }
  for (const word of remaining.split(' ').filter(Boolean)) {
    const code = word.length === 2 ? word.toUpperCase() : (index.countryNames.get(word) ?? null);
    parts.push({ kind: 'word', token: { text: word, key: soundKey(word) }, code });
  }
  return parts;
}

/** Every query part must match something in the record; best matches first. */
export function search(index: SearchIndex, query: string, limit = 500): SearchHit[] {
  const parts = parseQuery(query, index);
  if (parts.length === 0) return [];
  const hits: SearchHit[] = [];
  for (const entry of index.entries) {
    let score = 0;
    const matched = new Set<MatchKind>();
    let all = true;
    for (const part of parts) {
      if (part.kind === 'phone') {
        const found = entry.phones.some(
          (phone) => phone.endsWith(part.digits) || (phone.length >= 7 && part.digits.endsWith(phone.slice(-9))),
        );
        if (!found) {
          all = false;
          break;
        }
        score += 5;
        matched.add('phone');
        continue;
      }
      let best = 0;
      let kind: MatchKind | null = null;
      if (part.code && entry.nationalities.includes(part.code)) {
        best = 3;
        kind = 'nationality';
      }
      for (const token of entry.names) {
        const value = nameScore(part.token, token);
        if (value > best) {
          best = value;
          kind = 'name';
        }
      }
      if (best < 3 && part.token.text.length >= 3) {
        for (const place of entry.places) {
          if (place === part.token.text || place.startsWith(part.token.text)) {
            best = Math.max(best, 2.5);
            kind = 'place';
            break;
          }
        }
      }
      if (best === 0 || !kind) {
        all = false;
        break;
      }
      score += best;
      matched.add(kind);
    }
    if (all) hits.push({ id: entry.id, score, matched: [...matched] });
  }
  hits.sort((a, b) => b.score - a.score);
  return hits.slice(0, limit);
}

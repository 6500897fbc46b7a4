// Search and tracing over the org's decrypted records, in memory on the officer's device. Which
// fields are names, phones, nationalities or places comes from the field catalogue.
// Names match across scripts and spellings (normalise.ts), phones by their digits (the end of a
// number, so +977 98… and 098… meet), nationalities by code or name, places by word.
import { fieldsOf, type Field } from '#model/fields';
import type { RecordBody } from '#model/records';
import { foldLatin, phoneDigits, romanise, soundKey } from './normalise.ts';
import { matchAt, optionalConnector, nameTokens, words, type NameToken } from './names.ts';

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
  const addPlace = (text?: string) => text && words(text).forEach((word) => places.add(word));
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

/**
 * Every query part must match something in the record, best matches first. Name words match in any
 * order, written together or apart (names.ts); a "son of" word need not match.
 */
export function search(index: SearchIndex, query: string, limit = 500): SearchHit[] {
  const parts = parseQuery(query, index);
  const phones = parts.flatMap((part) => (part.kind === 'phone' ? [part.digits] : []));
  const named = parts.flatMap((part) => (part.kind === 'word' ? [part] : []));
  const tokens = named.map((part) => part.token);
  if (parts.length === 0) return [];
  const hits: SearchHit[] = [];
  for (const entry of index.entries) {
    const found = matchEntry(entry, phones, named, tokens);
    if (found) hits.push({ id: entry.id, ...found });
  }
  hits.sort((a, b) => b.score - a.score);
  return hits.slice(0, limit);
}

type WordPart = Extract<QueryPart, { kind: 'word' }>;

function matchEntry(
  entry: SearchEntry,
  phones: readonly string[],
  named: readonly WordPart[],
  tokens: readonly NameToken[],
): Omit<SearchHit, 'id'> | null {
  let score = 0;
  const matched = new Set<MatchKind>();
  for (const digits of phones) {
    if (!entry.phones.some((phone) => phone.endsWith(digits) || (phone.length >= 7 && digits.endsWith(phone.slice(-9))))) return null;
    score += 5;
    matched.add('phone');
  }
  for (let at = 0; at < named.length; ) {
    const part = named[at]!;
    if (optionalConnector(tokens, at)) {
      at++;
      continue;
    }
    const { length, pairing } = matchAt(tokens, at, entry.names);
    at += length;
    if (length > 1 && pairing) {
      score += pairing.score * length;
      matched.add('name');
      continue;
    }
    let best = 0;
    let kind: MatchKind | null = null;
    if (part.code && entry.nationalities.includes(part.code)) {
      best = 3;
      kind = 'nationality';
    }
    if (pairing && pairing.score > best) {
      best = pairing.score;
      kind = 'name';
    }
    if (
      best < 3 &&
      part.token.text.length >= 3 &&
      entry.places.some((place) => place === part.token.text || place.startsWith(part.token.text))
    ) {
      best = Math.max(best, 2.5);
      kind = 'place';
    }
    if (best === 0 || !kind) return null;
    score += best;
    matched.add(kind);
  }
  return { score, matched: [...matched] };
}

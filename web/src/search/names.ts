// Matching a name as people write it (issue 16): the words of a name in any order, in another script
// or spelling (normalise.ts), written together or apart ("Abdel Rahman", "Abdelrahman",
// "Abd al-Rahman"; "Gebre Selassie", "Gebreselassie"), with or without a "son of" word ("Ahmed bin
// Ali", "Ahmed Ali"). Search and tracing both match names here, so they agree on what matches and
// the officer is told how each word matched.
import { editDistance, foldLatin, romanise, soundKey } from './normalise.ts';

export interface NameToken {
  text: string;
  key: string;
  /** The word(s) as the record writes them (script and accents kept), to show. */
  shown?: string;
  /** Two or three adjacent words of the record's name written together: "abdel rahman" → "abdelrahman". */
  joined?: boolean;
}

/** How a query word (or words written together) met a word of the record's name. */
export type NameWay = 'same' | 'start' | 'sound' | 'spelling' | 'joined';

export interface NamePairing {
  /** The query's word(s), folded to Latin letters. */
  query: string;
  /** The record's word(s) it met, as the record writes them. */
  record: string;
  way: NameWay;
  score: number;
}

/**
 * Words that say "son of" or "daughter of" (Arabic bin, ibn, bint; Maghreb and Sahel ould, wad,
 * ag): a name is written with and without them, so a query need not find one between two names.
 * At the start or the end of a query it is a name of its own (Ben, Ag) and must be found.
 */
export const CONNECTORS: ReadonlySet<string> = new Set(['bin', 'ibn', 'ben', 'bint', 'binti', 'ould', 'wuld', 'wad', 'walad', 'ag']);

const MAX_JOINED = 3;

/** Whether query word `at` is a "son of" word between two names, which the record need not hold. */
export const optionalConnector = (query: readonly { text: string }[], at: number): boolean =>
  at > 0 && at < query.length - 1 && CONNECTORS.has(query[at]!.text);

/** Folded words of a name, romanised from other scripts. */
export function words(text: string): string[] {
  return foldLatin(romanise(text)).split(' ').filter(Boolean);
}

const token = (text: string, joined = false, shown?: string): NameToken => ({
  text,
  key: soundKey(text),
  ...(joined ? { joined } : {}),
  ...(shown && shown !== text ? { shown } : {}),
});

/** The words of a name as written, one per folded word when the two split alike (else the folded ones). */
function writtenWords(name: string, folded: readonly string[]): readonly string[] {
  const written = name.split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);
  return written.length === folded.length ? written : folded;
}

/**
 * A record's name tokens: every word, and every run of two or three adjacent words of one name
 * written together (so a query written as one word meets a name written apart).
 */
export function nameTokens(...names: (string | undefined)[]): NameToken[] {
  const seen = new Map<string, NameToken>();
  for (const name of names) {
    if (!name) continue;
    const parts = words(name);
    const written = writtenWords(name, parts);
    parts.forEach((text, index) => seen.has(text) || seen.set(text, token(text, false, written[index])));
    for (let length = 2; length <= MAX_JOINED; length++)
      for (let start = 0; start + length <= parts.length; start++) {
        const run = parts.slice(start, start + length);
        if (run.some((part) => CONNECTORS.has(part))) continue;
        const text = run.join('');
        if (!seen.has(text)) seen.set(text, token(text, true, written.slice(start, start + length).join(' ')));
      }
  }
  return [...seen.values()];
}

/** A query's words, each a token (none joined). */
export const queryTokens = (text: string): NameToken[] => words(text).map((word) => token(word));

/**
 * How well one query word matches one name token, and how: 0 for not at all. A joined token (words
 * written together) counts only whole: the same text or sound, or a spelling slip in a long one.
 */
export function nameScore(query: NameToken, candidate: NameToken): { score: number; way: NameWay } {
  const joined = candidate.joined === true;
  if (query.text === candidate.text) return { score: 4, way: joined ? 'joined' : 'same' };
  if (!joined && query.text.length >= 3 && candidate.text.startsWith(query.text)) return { score: 3, way: 'start' };
  if (query.text.length >= 3 && query.key.length >= 2 && query.key === candidate.key) return { score: 3, way: joined ? 'joined' : 'sound' };
  const limit = query.text.length >= 8 ? 2 : query.text.length >= 4 && !joined ? 1 : 0;
  if (limit > 0 && editDistance(query.text, candidate.text, limit) <= limit) return { score: 2, way: joined ? 'joined' : 'spelling' };
  return { score: 0, way: 'same' };
}

/** The record's token a query token meets best. */
export function bestToken(query: NameToken, names: readonly NameToken[]): NamePairing | null {
  let best: NamePairing | null = null;
  for (const candidate of names) {
    const { score, way } = nameScore(query, candidate);
    if (score > (best?.score ?? 0)) best = { query: query.text, record: candidate.shown ?? candidate.text, way, score };
  }
  return best;
}

/**
 * Query words `at`, `at + 1` (and `at + 2`) written together, when that meets a record's word as
 * one (the record wrote "Abdelrahman", the query "Abdel Rahman"): how many words it takes, and how.
 */
function joinedQuery(
  query: readonly NameToken[],
  at: number,
  names: readonly NameToken[],
): { length: number; pairing: NamePairing } | null {
  // The fewest words that meet a record's word whole (its start alone would leave the rest unmet).
  for (let length = 2; length <= Math.min(MAX_JOINED, query.length - at); length++) {
    const run = query.slice(at, at + length);
    if (run.some((part) => CONNECTORS.has(part.text))) break;
    const best = bestToken(token(run.map((part) => part.text).join('')), names);
    if (best && best.score >= 3 && best.way !== 'start')
      return { length, pairing: { ...best, query: run.map((part) => part.text).join(' '), way: 'joined' } };
  }
  return null;
}

/**
 * What query word `at` meets in a record's name, perhaps with the words after it written together:
 * how many query words that takes, and the pairing (null: the word meets nothing). Words that each
 * meet a word of the record by their text or sound are kept apart.
 */
export function matchAt(
  query: readonly NameToken[],
  at: number,
  names: readonly NameToken[],
): { length: number; pairing: NamePairing | null } {
  const single = bestToken(query[at]!, names);
  const joined = joinedQuery(query, at, names);
  if (!joined) return { length: 1, pairing: single };
  const apart =
    (single?.score ?? 0) >= 3 && query.slice(at + 1, at + joined.length).every((word) => (bestToken(word, names)?.score ?? 0) >= 3);
  return apart ? { length: 1, pairing: single } : joined;
}

export interface NameMatch {
  score: number;
  /** Query words found (words written together each count), of how many (connectors left out). */
  matched: number;
  of: number;
  /** One word met by its text or its sound, not only by a spelling slip. */
  strong: boolean;
  pairings: NamePairing[];
}

/** Every word of a query (a name), matched against a record's name tokens in any order. */
export function matchNames(query: readonly NameToken[], names: readonly NameToken[]): NameMatch {
  const result: NameMatch = { score: 0, matched: 0, of: 0, strong: false, pairings: [] };
  for (let at = 0; at < query.length; ) {
    if (optionalConnector(query, at)) {
      at++;
      continue;
    }
    const { length, pairing } = matchAt(query, at, names);
    result.of += length;
    if (pairing) {
      result.matched += length;
      result.score += pairing.score * length;
      result.strong ||= pairing.score >= 3;
      result.pairings.push(pairing);
    }
    at += length;
  }
  return result;
}

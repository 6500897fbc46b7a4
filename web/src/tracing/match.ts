// Family tracing on the CSO officer's device (pure: no I/O). A family asks after someone: a name
// (in any script or spelling), perhaps a nationality, a last known place and a date. Every person
// record is scored: the name must carry the match — most of the enquiry's name words found in the
// record's names (same word, its start, the same sound across transliterations, words written
// together or apart, or a small spelling slip; search/names.ts) — and nationality, place and a whereabouts date near the given one
// raise the score. Unlike the search box, a missing middle name does not rule a record out.
import type { Person } from '#model/records';
import { entryOf, type SearchEntry } from '../search/index.ts';
import { matchNames, queryTokens, words, type NamePairing } from '../search/names.ts';

export interface Enquiry {
  name: string;
  /** ISO alpha-2, when the family knows it. */
  nationality?: string;
  lastPlace?: string;
  /** ISO date (YYYY-MM-DD) the person was last heard of. */
  lastSeen?: string;
}

export type TracingReason = 'name' | 'nationality' | 'place' | 'date';

export interface TracingCandidate {
  id: string;
  score: number;
  reasons: TracingReason[];
  /** How many of the enquiry's name words were found. */
  nameWords: { matched: number; of: number };
  /** How each word of the enquiry's name met the record's, for the officer to judge. */
  pairings: NamePairing[];
}

const DATE_WINDOW_DAYS = 30;

export interface TracingIndex {
  entries: { person: Person; entry: SearchEntry }[];
}

export function buildTracingIndex(persons: readonly Person[], communityNames: ReadonlyMap<string, string> = new Map()): TracingIndex {
  const names = new Map(communityNames);
  return { entries: persons.map((person) => ({ person, entry: entryOf(person, names) })) };
}

function nearDate(person: Person, date: string): boolean {
  const wanted = Date.parse(date);
  if (Number.isNaN(wanted)) return false;
  const times = [person.updatedAt, ...person.history.map((entry) => entry.at)].map(Date.parse);
  return times.some((time) => Math.abs(time - wanted) <= DATE_WINDOW_DAYS * 86_400_000);
}

/** Candidates for an enquiry, best first; at most `limit`. */
export function traceEnquiry(index: TracingIndex, enquiry: Enquiry, limit = 20): TracingCandidate[] {
  const queryNames = queryTokens(enquiry.name);
  if (queryNames.length === 0) return [];
  const placeWords = enquiry.lastPlace ? words(enquiry.lastPlace).filter((word) => word.length >= 3) : [];
  const nationality = enquiry.nationality?.trim().toUpperCase() || null;
  const candidates: TracingCandidate[] = [];
  for (const { person, entry } of index.entries) {
    const names = matchNames(queryNames, entry.names);
    if (names.matched < Math.ceil(names.of / 2) || !names.strong) continue;
    let score = names.score;
    const reasons: TracingReason[] = ['name'];
    if (nationality) {
      if (person.nationality === nationality) {
        score += 3;
        reasons.push('nationality');
      } else score -= 2;
    }
    if (placeWords.some((word) => entry.places.some((place) => place === word || place.startsWith(word)))) {
      score += 2;
      reasons.push('place');
    }
    if (enquiry.lastSeen && nearDate(person, enquiry.lastSeen)) {
      score += 1;
      reasons.push('date');
    }
    candidates.push({ id: person.id, score, reasons, nameWords: { matched: names.matched, of: names.of }, pairings: names.pairings });
  }
  candidates.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return candidates.slice(0, limit);
}

import { describe, expect, it } from 'vitest';
import { person } from '../activation/test-records.ts';
import type { Person } from '#model/records';
import { buildTracingIndex, traceEnquiry } from './match.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const whereabouts = (at: string, placeName: string) => [{ at, status: 'stranded' as const, placeName }];
const persons: Person[] = [
  // Recorded in Arabic script with a Latin spelling that differs from the family's.
  person(
    id(1),
    undefined,
    'SD',
    {},
    { name: 'محمد عبد الله', nameLatin: 'Mohammed Abdalla', history: whereabouts('2026-11-10T08:00:00.000Z', 'Derna port') },
  ),
  person(id(2), undefined, 'EG', {}, { name: 'Mohamed Abdelrahman', history: whereabouts('2026-06-01T08:00:00.000Z', 'Tripoli') }),
  // Devanagari only.
  person(id(3), undefined, 'NP', {}, { name: 'सीता गुरुङ', history: whereabouts('2026-11-12T08:00:00.000Z', 'Benghazi brickworks') }),
  person(id(4), undefined, 'NP', {}, { name: 'Gita Gurung', history: whereabouts('2026-11-12T08:00:00.000Z', 'Benghazi') }),
  person(id(5), undefined, 'BD', {}, { name: 'Rahim Uddin', history: [] }),
];
const index = buildTracingIndex(persons);

describe('family tracing', () => {
  it('finds a person recorded in Arabic script from the family’s Latin spelling, nationality, place and date first', () => {
    const found = traceEnquiry(index, { name: 'Muhammad Abdallah', nationality: 'SD', lastPlace: 'Derna', lastSeen: '2026-11-15' });
    expect(found[0]).toEqual({
      id: id(1),
      score: expect.any(Number),
      reasons: ['name', 'nationality', 'place', 'date'],
      nameWords: { matched: 2, of: 2 },
      pairings: [
        { query: 'muhammad', record: 'محمد', way: 'sound', score: 3 },
        { query: 'abdallah', record: 'Abdalla', way: 'sound', score: 3 },
      ],
    });
    // The Egyptian Mohamed matches one name word of two: a weaker candidate, below.
    expect(found.map((candidate) => candidate.id)).toEqual([id(1), id(2)]);
    expect(found[1]!.score).toBeLessThan(found[0]!.score);
  });

  it('meets Devanagari from a Latin enquiry, and ranks Gita (one letter off) below Sita', () => {
    const found = traceEnquiry(index, { name: 'Sita Gurung', nationality: 'NP', lastPlace: 'Benghazi' });
    expect(found.map((candidate) => candidate.id)).toEqual([id(3), id(4)]);
    expect(found[0]!.nameWords).toEqual({ matched: 2, of: 2 });
    // सीता meets Sita by its sound key; Gita only as a one-letter spelling variant: a weaker match.
    expect(found[0]!.score).toBeGreaterThan(found[1]!.score);
  });

  it('tolerates a missing middle name, but not a name that does not match', () => {
    expect(traceEnquiry(index, { name: 'Rahim Miah Uddin' }).map((candidate) => candidate.id)).toEqual([id(5)]);
    expect(traceEnquiry(index, { name: 'Tesfaye Bekele' })).toEqual([]);
    expect(traceEnquiry(index, { name: '  ' })).toEqual([]);
  });
});

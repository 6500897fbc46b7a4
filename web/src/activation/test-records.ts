// Records for the activation unit tests (valid against the record model).
import type { Community, Person } from '#model/records';

const at = '2026-11-20T08:00:00.000Z';
const base = {
  schemaVersion: 1 as const,
  updatedAt: at,
  updatedBy: 'member-1',
  needs: [],
  vulnerabilities: [],
  status: 'stranded' as const,
  history: [],
};

const dernaRing: [number, number][] = [
  [22.45, 32.6],
  [22.8, 32.6],
  [22.8, 32.85],
  [22.45, 32.85],
  [22.45, 32.6],
];
export const dernaArea = { type: 'Polygon' as const, coordinates: [dernaRing] };

export function community(id: string, lon: number, lat: number, codes: string[], extra: Partial<Community> = {}): Community {
  return {
    ...base,
    id,
    kind: 'community',
    name: `Community ${id}`,
    location: { lon, lat },
    headcount: { total: 40 },
    nationalities: codes.map((code) => ({ code, count: 10 })),
    languages: ['ne'],
    site: { type: 'dormitory' },
    contact: { name: 'Hari Contact', phone: '+218911111111' },
    ...extra,
  };
}

export function person(
  id: string,
  communityId: string | undefined,
  nationality: string,
  consent: Partial<Person['consent']> = {},
  extra: Partial<Person> = {},
): Person {
  return {
    ...base,
    id,
    kind: 'person',
    ...(communityId ? { communityId } : {}),
    name: `Person ${id}`,
    sex: 'female',
    nationality,
    refugee: false,
    phone: '+218922222222',
    languages: ['ne'],
    documents: { passport: 'confiscated', other: [] },
    consent: { ownConsulate: true, hostAuthorities: true, humanitarian: true, recordedAt: at, ...consent },
    notes: 'private note',
    ...extra,
  } as Person;
}

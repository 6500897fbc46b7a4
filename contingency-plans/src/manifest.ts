// Per-consulate evacuation manifests, after an approved activation: the released people of each
// nationality, grouped by the assembly point their community was assigned to.
// Defence in depth: the release bundle should already hold only people who consented to release
// to their consulate, but anyone marked as a refugee or without that consent is still left out of
// their own consulate's manifest here, and only counted.
import type { AssignmentResult } from './assign.ts';

export interface ReleasedPerson {
  id: string;
  name: string;
  nationality: string;
  phone?: string;
  needs: string[];
  documents?: { passport?: string; other?: string[] };
  communityId?: string;
  refugee?: boolean;
  consent?: { ownConsulate?: boolean };
}

export interface ManifestPerson {
  id: string;
  name: string;
  phone?: string;
  needs: string[];
  /** Passport state as released (held, confiscated, lost, expired, none), when known. */
  passport?: string;
  communityId?: string;
}

export interface ManifestGroup {
  /** Undefined for people whose community has no assembly point (yet). */
  assemblyPointId?: string;
  assemblyPointName?: string;
  people: ManifestPerson[];
}

export interface Manifest {
  nationality: string;
  people: number;
  groups: ManifestGroup[];
  /** People of this nationality left out because they are refugees or did not consent. */
  withheld: number;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The assembly point holding most of each community (split communities go where most of them go). */
export function assemblyPointOfCommunities(assignment: AssignmentResult): Map<string, string> {
  const best = new Map<string, { point: string; people: number }>();
  for (const entry of assignment.assignments) {
    const current = best.get(entry.communityId);
    if (!current || entry.people > current.people) best.set(entry.communityId, { point: entry.assemblyPointId, people: entry.people });
  }
  return new Map([...best].map(([community, { point }]) => [community, point]));
}

export function evacuationManifest(
  released: ReleasedPerson[],
  assignment: AssignmentResult,
  options: { assemblyPointNames?: Map<string, string>; nationalities?: string[] } = {},
): Manifest[] {
  const pointOf = assemblyPointOfCommunities(assignment);
  const wanted = options.nationalities ? new Set(options.nationalities) : undefined;
  const byNationality = new Map<string, { groups: Map<string, ManifestPerson[]>; withheld: number }>();
  for (const person of released) {
    if (wanted && !wanted.has(person.nationality)) continue;
    let entry = byNationality.get(person.nationality);
    if (!entry) byNationality.set(person.nationality, (entry = { groups: new Map(), withheld: 0 }));
    if (person.refugee === true || person.consent?.ownConsulate === false) {
      entry.withheld++;
      continue;
    }
    const point = (person.communityId !== undefined ? pointOf.get(person.communityId) : undefined) ?? '';
    const listed: ManifestPerson = {
      id: person.id,
      name: person.name,
      ...(person.phone ? { phone: person.phone } : {}),
      needs: [...person.needs].sort(),
      ...(person.documents?.passport ? { passport: person.documents.passport } : {}),
      ...(person.communityId ? { communityId: person.communityId } : {}),
    };
    const group = entry.groups.get(point) ?? [];
    group.push(listed);
    entry.groups.set(point, group);
  }
  return [...byNationality]
    .sort(([a], [b]) => compare(a, b))
    .map(([nationality, entry]) => {
      const groups = [...entry.groups]
        .map(([point, people]): ManifestGroup => ({
          ...(point ? { assemblyPointId: point } : {}),
          ...(point && options.assemblyPointNames?.get(point) ? { assemblyPointName: options.assemblyPointNames.get(point)! } : {}),
          people: people.sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id)),
        }))
        .sort((a, b) => (a.assemblyPointId === undefined ? 1 : b.assemblyPointId === undefined ? -1 : compare(a.assemblyPointName ?? a.assemblyPointId, b.assemblyPointName ?? b.assemblyPointId!)));
      return { nationality, people: groups.reduce((sum, group) => sum + group.people.length, 0), groups, withheld: entry.withheld };
    });
}

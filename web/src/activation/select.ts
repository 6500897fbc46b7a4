// The CSO officer's side of a release, as pure functions: which of the org's decrypted records an
// approved request covers (area, nationality, each person's consent), and what of them leaves the
// device (approved fields only, never a community's contact person, no trail outside the area).
// Runs on plaintext in memory only; nothing here does I/O. Decision 0601 explains the rules.
import { booleanPointInPolygon } from '@turf/turf';
import type { ActivationRequest } from '#crypto/activation';
import type { ReleaseField } from '#crypto/protocol';
import { releasedProperties } from '#model/fields';
import type { Community, Person, Whereabouts } from '#model/records';
import type { RequestArea } from '../api-types.ts';

export type RequesterKind = 'consulate' | 'city';
/** An area as a request carries it: what the API takes (Polygon or MultiPolygon of [longitude, latitude]). */
export type Area = RequestArea;
/** Any GeoJSON Polygon or MultiPolygon, to show or to test points against (a position may carry an altitude). */
export type AnyArea = ActivationRequest['area'];

export interface Scope {
  area: Area;
  nationalities: readonly string[];
  fields: readonly ReleaseField[];
  requesterKind: RequesterKind;
}

/** An area with its bounding box, so most points are rejected without a polygon test. */
export interface PreparedArea {
  feature: GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
  box: [number, number, number, number];
}

export function prepareArea(area: AnyArea): PreparedArea {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  for (const rings of polygons) {
    for (const [lon, lat] of rings[0] ?? []) {
      if (lon! < west) west = lon!;
      if (lon! > east) east = lon!;
      if (lat! < south) south = lat!;
      if (lat! > north) north = lat!;
    }
  }
  return {
    feature: { type: 'Feature', properties: {}, geometry: area as GeoJSON.Polygon | GeoJSON.MultiPolygon },
    box: [west, south, east, north],
  };
}

export function inArea(area: PreparedArea, position: { lon: number; lat: number } | undefined | null): boolean {
  if (!position || !Number.isFinite(position.lon) || !Number.isFinite(position.lat)) return false;
  const [west, south, east, north] = area.box;
  if (position.lon < west || position.lon > east || position.lat < south || position.lat > north) return false;
  return booleanPointInPolygon([position.lon, position.lat], area.feature);
}

/**
 * May this person be released to this requester? A consulate: only its own nationals (the request's
 * nationalities, which the server limits to those the consulate serves), only with consent to their
 * own consulate, and never a refugee, whatever the consent says. A city: consent to host authorities.
 */
export function consentAllows(
  person: Pick<Person, 'nationality' | 'refugee' | 'consent'>,
  kind: RequesterKind,
  nationalities: readonly string[],
): boolean {
  if (!nationalities.includes(person.nationality)) return false;
  if (kind === 'consulate') return person.consent?.ownConsulate === true && person.refugee !== true;
  return person.consent?.hostAuthorities === true;
}

export interface Selection {
  communities: Community[];
  persons: Person[];
  /** People in the area and of a requested nationality left out because their consent does not allow it. */
  withheldByConsent: number;
}

/** Where a person is: their own position, else their community's. */
export function personPosition(person: Person, communities: ReadonlyMap<string, Community>) {
  return person.location ?? (person.communityId ? communities.get(person.communityId)?.location : undefined);
}

/** Gives the event loop a turn so a long selection keeps the page responsive. */
const yieldToUi = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export interface ChunkOptions {
  /** Records per slice of work between yields. */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * The records an approved request covers. A community is covered when it lies in the area and
 * lists a requested nationality, or when a covered person belongs to it (so people can be grouped).
 * Work is done in slices that yield to the UI.
 */
export async function selectForRelease(
  all: { communities: readonly Community[]; persons: readonly Person[] },
  scope: Scope,
  options: ChunkOptions = {},
): Promise<Selection> {
  const chunk = options.chunk ?? 2000;
  const area = prepareArea(scope.area);
  const wanted = new Set(scope.nationalities);
  const byId = new Map(all.communities.map((community) => [community.id, community]));
  const total = all.communities.length + all.persons.length;
  let done = 0;
  const tick = async () => {
    done++;
    if (done % chunk === 0) {
      options.onProgress?.(done, total);
      await yieldToUi();
    }
  };
  const persons: Person[] = [];
  let withheldByConsent = 0;
  for (const person of all.persons) {
    if (wanted.has(person.nationality) && inArea(area, personPosition(person, byId))) {
      if (consentAllows(person, scope.requesterKind, scope.nationalities)) persons.push(person);
      else withheldByConsent++;
    }
    await tick();
  }
  const withPeople = new Set(persons.map((person) => person.communityId).filter(Boolean));
  const communities: Community[] = [];
  for (const community of all.communities) {
    if (inArea(area, community.location) && (withPeople.has(community.id) || community.nationalities.some((item) => wanted.has(item.code))))
      communities.push(community);
    await tick();
  }
  options.onProgress?.(total, total);
  return { communities, persons, withheldByConsent };
}

/** Numbers only, for the officer deciding: what a release would cover after the consent filter. */
export interface Preview {
  communities: number;
  people: number;
  withheldByConsent: number;
}

export async function previewRelease(
  all: { communities: readonly Community[]; persons: readonly Person[] },
  scope: Scope,
): Promise<Preview> {
  const selection = await selectForRelease(all, scope);
  return { communities: selection.communities.length, people: selection.persons.length, withheldByConsent: selection.withheldByConsent };
}

function minimiseHistory(history: readonly Whereabouts[], keepLocation: boolean, area: PreparedArea) {
  // Free-text notes never leave; a past position leaves only when location was approved and it lies in the area.
  return history.map((entry) => ({
    at: entry.at,
    status: entry.status,
    ...(keepLocation && entry.location && inArea(area, entry.location)
      ? { location: entry.location, ...(entry.placeName ? { placeName: entry.placeName } : {}) }
      : {}),
  }));
}

/**
 * What leaves the device: each covered record cut down to the approved properties
 * (releasedProperties), a community's nationalities cut to the requested ones, a community's
 * contact person removed, and the whereabouts history stripped of notes and of positions outside
 * the area (or of all positions when location was not approved).
 */
export function releaseRecords(selection: Pick<Selection, 'communities' | 'persons'>, scope: Scope): Record<string, unknown>[] {
  const allowed = releasedProperties([...scope.fields]);
  const area = prepareArea(scope.area);
  const keepLocation = scope.fields.includes('location');
  const wanted = new Set(scope.nationalities);
  const cut = (record: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const key of allowed) if (record[key] !== undefined) out[key] = record[key];
    if (Array.isArray(out.history)) out.history = minimiseHistory(out.history as Whereabouts[], keepLocation, area);
    return out;
  };
  const records: Record<string, unknown>[] = [];
  for (const community of selection.communities) {
    const out = cut({ ...community, contact: undefined });
    if (Array.isArray(out.nationalities)) out.nationalities = community.nationalities.filter((item) => wanted.has(item.code));
    records.push(out);
  }
  for (const person of selection.persons) records.push(cut({ ...person }));
  return records;
}

// Population in a zone plus a buffer: communities, people and people by nationality.
// The buffered zone is Turf's buffer of the zone (so the answer equals the plain Turf loop), then a
// bounding-box prefilter (through a KDBush index when one is given) and a grid of cells classified
// once against the zone, so only points in cells an edge crosses get a ring test (zone-grid.ts).
import { buffer as turfBuffer } from '@turf/turf';
import KDBush from 'kdbush';
import type { CommunityColumns, CommunityPoint } from './inputs.ts';
import { apportionNationalities } from './inputs.ts';
import type { AreaGeometry } from './model.ts';
import { fail, geometryError, ok, optionsError, type Result } from './result.ts';
import { pointsInZoneGrid, pointsInZoneGridThroughTree, prepareZoneGrid } from './zone-grid.ts';

export interface ZoneOptions {
  /** Distance around the zone that also counts, in km (0: the zone itself). */
  bufferKm: number;
  /** Segments per quarter circle of the buffer's rounded corners (Turf's `steps`, default 8). */
  steps?: number;
  /** A point index from `indexPoints`, reused across queries over the same points. */
  index?: KDBush;
}

export interface PopulationInZone {
  communities: number;
  people: number;
  /** People per nationality code (a community's headcount split by `apportionNationalities`). */
  byNationality: Record<string, number>;
  /** Ids of the communities inside, in input order. */
  communityIds: string[];
  /** The zone with its buffer, as counted (for the map). */
  zone: AreaGeometry;
}

export interface PopulationInZoneColumns {
  communities: number;
  people: number;
  byNationality: Record<string, number>;
  /** Positions (row numbers) of the points inside, ascending. */
  inside: Uint32Array;
  zone: AreaGeometry;
}

/** The zone grown by `bufferKm` with Turf's buffer; the zone itself for 0. */
export function bufferZone(zone: AreaGeometry, bufferKm: number, steps = 8): Result<AreaGeometry> {
  if (!(bufferKm >= 0) || !Number.isFinite(bufferKm))
    return fail(optionsError(`bufferKm must be a distance of 0 km or more, not ${bufferKm}`));
  if (bufferKm === 0) return ok(zone);
  try {
    const grown = turfBuffer({ type: 'Feature', properties: {}, geometry: zone }, bufferKm, { units: 'kilometers', steps });
    const geometry = grown?.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      return fail(geometryError('the zone could not be buffered: check that its rings are closed and do not cross themselves'));
    }
    return ok(geometry as AreaGeometry);
  } catch (error) {
    return fail(
      geometryError(
        `the zone could not be buffered (${(error as Error).message}): check that its rings are closed and do not cross themselves`,
      ),
    );
  }
}

/** A KDBush index over lon/lat, built once and passed to many zone queries. */
export function indexPoints(lon: ArrayLike<number>, lat: ArrayLike<number>): KDBush {
  const index = new KDBush(lon.length, 64, Float64Array);
  for (let i = 0; i < lon.length; i++) index.add(lon[i]!, lat[i]!);
  return index.finish();
}

/**
 * Row numbers of points inside the geometry (Turf's answer, edges inside), ascending. The index
 * is only used when it can be the one `indexPoints` built over these columns (as many points,
 * coordinates kept as doubles): its own coordinates are tested, so rounded ones would change answers.
 */
function pointsInside(geometry: AreaGeometry, lon: Float64Array, lat: Float64Array, index?: KDBush): Uint32Array {
  const grid = prepareZoneGrid(geometry);
  const usable = index !== undefined && index.numItems === lon.length && index.coords instanceof Float64Array;
  return usable ? pointsInZoneGridThroughTree(grid, index) : pointsInZoneGrid(grid, lon, lat);
}

export function populationInZone(zone: AreaGeometry, points: CommunityPoint[], options: ZoneOptions): Result<PopulationInZone> {
  const buffered = bufferZone(zone, options.bufferKm, options.steps);
  if (!buffered.ok) return buffered;
  const lon = Float64Array.from(points, (point) => point.lon);
  const lat = Float64Array.from(points, (point) => point.lat);
  const inside = pointsInside(buffered.value, lon, lat, options.index);
  const byNationality: Record<string, number> = {};
  let people = 0;
  const communityIds: string[] = [];
  for (const i of inside) {
    const point = points[i]!;
    communityIds.push(point.id);
    people += point.headcount;
    for (const [code, count] of apportionNationalities(point.headcount, point.nationalities)) {
      byNationality[code] = (byNationality[code] ?? 0) + count;
    }
  }
  return ok({ communities: inside.length, people, byNationality: sortedRecord(byNationality), communityIds, zone: buffered.value });
}

/** The same over typed-array columns, for a million points. */
export function populationInZoneColumns(
  zone: AreaGeometry,
  columns: CommunityColumns,
  options: ZoneOptions,
): Result<PopulationInZoneColumns> {
  const buffered = bufferZone(zone, options.bufferKm, options.steps);
  if (!buffered.ok) return buffered;
  const inside = pointsInside(buffered.value, columns.lon, columns.lat, options.index);
  let people = 0;
  const perCode = new Float64Array(columns.nationalityCodes?.length ?? 0);
  const { headcount, nationality } = columns;
  for (let k = 0; k < inside.length; k++) {
    const row = inside[k]!;
    people += headcount[row]!;
    if (nationality) perCode[nationality[row]!]! += headcount[row]!;
  }
  const byNationality: Record<string, number> = {};
  columns.nationalityCodes?.forEach((code, k) => {
    if (perCode[k]! > 0) byNationality[code] = perCode[k]!;
  });
  return ok({ communities: inside.length, people, byNationality: sortedRecord(byNationality), inside, zone: buffered.value });
}

export function sortedRecord<Value>(record: Record<string, Value>): Record<string, Value> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

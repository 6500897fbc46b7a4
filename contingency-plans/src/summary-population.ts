// Population estimates from published summaries, for planning before any activation: the areas
// that meet the zone (plus buffer), their published counts, and which cells were suppressed, so
// the planner knows the figure is a lower bound.
import { bboxPolygon, booleanIntersects, booleanWithin } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AreaGeometry } from './model.ts';
import { bufferZone, sortedRecord } from './population.ts';
import type { Result } from './result.ts';
import { ok } from './result.ts';
import type { SummaryCell, SummaryTotal } from './summary.ts';

export interface SummaryAreaGeometry {
  id: string;
  name?: string;
  geometry: Polygon | MultiPolygon;
}

export interface SummaryEstimate {
  /** Areas meeting the zone; `whole` is false for areas only partly inside (their people may be outside the zone). */
  areas: { id: string; whole: boolean }[];
  /** People counted: each area's published total where it is published, else the sum of its published cells. */
  people: number;
  /** Published people per nationality in those areas. */
  byNationality: Record<string, number>;
  /** Suppressed cells in those areas: each hides at least 1 person. */
  suppressedCells: { areaId: string; nationality: string }[];
  /** True when suppressed cells sit in areas without a published total: the real number of people is higher. */
  peopleLowerBound: boolean;
  /** True when anything was suppressed: some nationalities have more people than shown. */
  byNationalityLowerBound: boolean;
  /** True when some areas are only partly in the zone: part of their people may live outside it. */
  includesPartialAreas: boolean;
}

const feature = (geometry: Polygon | MultiPolygon): Feature<Polygon | MultiPolygon> => ({ type: 'Feature', properties: {}, geometry });

export function populationFromSummaries(
  zone: AreaGeometry,
  cells: SummaryCell[],
  areas: SummaryAreaGeometry[],
  options: { bufferKm: number; totals?: SummaryTotal[] },
): Result<SummaryEstimate> {
  const buffered = bufferZone(zone, options.bufferKm);
  if (!buffered.ok) return buffered;
  const zoneFeature = feature(buffered.value);
  const meeting = areas
    .filter((area) => booleanIntersects(feature(area.geometry), zoneFeature))
    .map((area) => ({ id: area.id, whole: booleanWithin(feature(area.geometry), zoneFeature) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const inZone = new Set(meeting.map((area) => area.id));
  const plain = cells.filter(
    (cell) => cell.need === undefined && cell.vulnerability === undefined && cell.group === undefined && inZone.has(cell.areaId),
  );
  const areaTotals = new Map(
    (options.totals ?? [])
      .filter(
        (total) =>
          total.areaId !== undefined &&
          total.need === undefined &&
          total.vulnerability === undefined &&
          total.group === undefined &&
          !total.suppressed,
      )
      .map((total) => [total.areaId!, total.count!]),
  );
  const byNationality: Record<string, number> = {};
  const suppressedCells: { areaId: string; nationality: string }[] = [];
  const cellSums = new Map<string, number>();
  for (const cell of plain) {
    if (cell.suppressed || cell.count === undefined) {
      suppressedCells.push({ areaId: cell.areaId, nationality: cell.nationality });
      continue;
    }
    byNationality[cell.nationality] = (byNationality[cell.nationality] ?? 0) + cell.count;
    cellSums.set(cell.areaId, (cellSums.get(cell.areaId) ?? 0) + cell.count);
  }
  let people = 0;
  const unresolved = new Set<string>();
  for (const area of meeting) {
    const total = areaTotals.get(area.id);
    people += total ?? cellSums.get(area.id) ?? 0;
    if (total === undefined) unresolved.add(area.id);
  }
  return ok({
    areas: meeting,
    people,
    byNationality: sortedRecord(byNationality),
    suppressedCells,
    // With an area's total published, its suppressed cells hide nobody from the people count, only from the split.
    peopleLowerBound: suppressedCells.some((cell) => unresolved.has(cell.areaId)),
    byNationalityLowerBound: suppressedCells.length > 0,
    includesPartialAreas: meeting.some((area) => !area.whole),
  });
}

/** A simple square grid of summary areas (cells `sizeDegrees` wide) over a bounding box; ids "grid:column:row". */
export function squareGridAreas(
  box: [minLon: number, minLat: number, maxLon: number, maxLat: number],
  sizeDegrees: number,
): (SummaryAreaGeometry & { name: string })[] {
  const areas: (SummaryAreaGeometry & { name: string })[] = [];
  const columns = Math.ceil((box[2] - box[0]) / sizeDegrees);
  const rows = Math.ceil((box[3] - box[1]) / sizeDegrees);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const west = box[0] + column * sizeDegrees;
      const south = box[1] + row * sizeDegrees;
      const east = west + sizeDegrees;
      const north = south + sizeDegrees;
      areas.push({
        id: `grid:${column}:${row}`,
        name: `Grid ${column},${row}`,
        geometry: bboxPolygon([west, south, east, north]).geometry,
      });
    }
  }
  return areas;
}

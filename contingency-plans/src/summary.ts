// Privacy-safe summaries: people and communities by area x nationality, and by area x nationality
// for each need, vulnerability or sex and age group, with small cells suppressed and complementary suppression so no
// suppressed figure can be worked out from the published ones (see suppression.ts).
import { insidePrepared, type PreparedPolygon, preparePolygon } from './geo.ts';
import type { CommunityPoint, SummaryArea } from './inputs.ts';
import { apportionNationalities, scaleBreakdown } from './inputs.ts';
import { fail, ok, optionsError, type Result } from './result.ts';
import { columnNode, recoverableEdges, suppressTable, type Table, type TableEdge, totalsColumn, totalsRow } from './suppression.ts';

export const SUMMARY_SCHEMA_VERSION = 1 as const;

export type SummaryDimension = 'need' | 'vulnerability' | 'sex_age';

/** Sex and age groups of the 'sex_age' dimension (HXL +f/+m with +children, +adults, +elderly). */
export const sexAgeGroups = ['female_children', 'female_adults', 'female_elderly', 'male_children', 'male_adults', 'male_elderly'] as const;
export type SexAgeGroup = (typeof sexAgeGroups)[number];

export interface SummaryOptions {
  orgId: string;
  /** ISO time; passed in so the function stays pure and the summary reproducible. */
  generatedAt: string;
  /** Counts from 1 to threshold - 1 are suppressed (default 5). */
  threshold?: number;
  /** Extra breakdowns besides area x nationality: one table per need, per vulnerability and/or per sex and age group (where communities give a breakdown). */
  dimensions?: SummaryDimension[];
}

/** One published (or suppressed) count. Cells absent from the list are zero. */
export interface SummaryCell {
  areaId: string;
  nationality: string;
  need?: string;
  vulnerability?: string;
  group?: SexAgeGroup;
  /** People; absent when suppressed. */
  count?: number;
  /** Communities contributing; absent when suppressed. */
  communities?: number;
  suppressed: boolean;
  reason?: 'small' | 'complementary';
}

/** A margin: an area's total (areaId only), a nationality's total (nationality only) or the grand total (neither). */
export interface SummaryTotal {
  areaId?: string;
  nationality?: string;
  need?: string;
  vulnerability?: string;
  group?: SexAgeGroup;
  count?: number;
  suppressed: boolean;
  reason?: 'small' | 'complementary';
}

export interface Summary {
  schemaVersion: typeof SUMMARY_SCHEMA_VERSION;
  orgId: string;
  generatedAt: string;
  threshold: number;
  dimensions: SummaryDimension[];
  areas: { id: string; name: string }[];
  cells: SummaryCell[];
  totals: SummaryTotal[];
  /** Communities outside every area (not counted anywhere); a count, suppressed like a cell. */
  outsideAreas: { count?: number; suppressed: boolean };
}

interface Layer {
  need?: string;
  vulnerability?: string;
  group?: SexAgeGroup;
}

function layerKey(layer: Layer): string {
  if (layer.need !== undefined) return `need:${layer.need}`;
  if (layer.vulnerability !== undefined) return `vulnerability:${layer.vulnerability}`;
  if (layer.group !== undefined) return `group:${layer.group}`;
  return 'all';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Which area each community falls in (first match in the given order), or -1. */
export function areaOfEach(points: { lon: number; lat: number }[], areas: SummaryArea[]): Int32Array {
  const prepared: PreparedPolygon[] = areas.map((area) => preparePolygon(area.geometry));
  const result = new Int32Array(points.length).fill(-1);
  points.forEach((point, i) => {
    const found = prepared.findIndex((polygon) => insidePrepared(polygon, point.lon, point.lat));
    result[i] = found;
  });
  return result;
}

export function buildSummary(records: CommunityPoint[], areas: SummaryArea[], options: SummaryOptions): Result<Summary> {
  const threshold = options.threshold ?? 5;
  if (!Number.isInteger(threshold) || threshold < 1)
    return fail(optionsError(`threshold must be a whole number of 1 or more, not ${threshold}`));
  const ids = new Set(areas.map((area) => area.id));
  if (ids.size !== areas.length) return fail(optionsError('two areas share an id: give each area its own id'));
  const dimensions = [...new Set(options.dimensions ?? [])].sort();
  // Rows in id order, so the result does not depend on the order areas were given in.
  areas = [...areas].sort((a, b) => compare(a.id, b.id));
  const areaIndex = areaOfEach(records, areas);

  // Raw counts per layer: layer -> area -> nationality -> { people, communities }.
  const layers = new Map<string, { layer: Layer; counts: Map<number, Map<string, { people: number; communities: number }>> }>();
  const add = (layer: Layer, area: number, nationality: string, people: number) => {
    const key = layerKey(layer);
    let entry = layers.get(key);
    if (!entry) layers.set(key, (entry = { layer, counts: new Map() }));
    let byNationality = entry.counts.get(area);
    if (!byNationality) entry.counts.set(area, (byNationality = new Map()));
    const cell = byNationality.get(nationality) ?? { people: 0, communities: 0 };
    cell.people += people;
    cell.communities += 1;
    byNationality.set(nationality, cell);
  };
  let outside = 0;
  records.forEach((record, i) => {
    const area = areaIndex[i]!;
    if (area < 0) {
      outside++;
      return;
    }
    const split = apportionNationalities(record.headcount, record.nationalities);
    const extra: Layer[] = [
      {},
      ...(dimensions.includes('need') ? [...new Set(record.needs)].map((need) => ({ need })) : []),
      ...(dimensions.includes('vulnerability') ? [...new Set(record.vulnerabilities)].map((vulnerability) => ({ vulnerability })) : []),
    ];
    for (const layer of extra) for (const [nationality, people] of split) add(layer, area, nationality, people);
    if (dimensions.includes('sex_age') && record.breakdown) {
      for (const group of sexAgeGroups) {
        const [sex, band] = group.split('_') as ['female' | 'male', 'children' | 'adults' | 'elderly'];
        const people = record.breakdown[sex]?.[band] ?? 0;
        if (people > 0) for (const [nationality, part] of scaleBreakdown(split, people)) add({ group }, area, nationality, part);
      }
    }
  });

  const cells: SummaryCell[] = [];
  const totals: SummaryTotal[] = [];
  const layerKeys = [...layers.keys()].sort((a, b) => (a === 'all' ? -1 : b === 'all' ? 1 : compare(a, b)));
  for (const key of layerKeys) {
    const { layer, counts } = layers.get(key)!;
    const nationalities = [...new Set([...counts.values()].flatMap((byNationality) => [...byNationality.keys()]))].sort(compare);
    const table: Table = { rows: areas.length, columns: nationalities.length, edges: [] };
    const cellEdges: { area: number; nationality: string; communities: number; edge: number }[] = [];
    const rowTotals = new Float64Array(areas.length);
    const columnTotals = new Float64Array(nationalities.length);
    areas.forEach((_, area) => {
      const byNationality = counts.get(area);
      if (!byNationality) return;
      nationalities.forEach((nationality, column) => {
        const cell = byNationality.get(nationality);
        if (!cell || cell.people === 0) return;
        rowTotals[area]! += cell.people;
        columnTotals[column]! += cell.people;
        cellEdges.push({ area, nationality, communities: cell.communities, edge: table.edges.length });
        table.edges.push({ from: area, to: columnNode(table, column), value: cell.people, suppressed: false });
      });
    });
    const rowEdge = new Map<number, number>();
    rowTotals.forEach((value, area) => {
      if (value === 0) return;
      rowEdge.set(area, table.edges.length);
      table.edges.push({ from: area, to: totalsColumn(table), value, suppressed: false });
    });
    const columnEdge = nationalities.map((_, column) => {
      table.edges.push({ from: totalsRow(table), to: columnNode(table, column), value: columnTotals[column]!, suppressed: false });
      return table.edges.length - 1;
    });
    const grandTotal = rowTotals.reduce((sum, value) => sum + value, 0);
    const grandEdge = table.edges.length;
    table.edges.push({ from: totalsRow(table), to: totalsColumn(table), value: grandTotal, suppressed: false });
    suppressTable(table, threshold);

    const published = (edge: TableEdge) =>
      edge.suppressed ? { suppressed: true, reason: edge.reason } : { count: edge.value, suppressed: false };
    const tag =
      layer.need !== undefined
        ? { need: layer.need }
        : layer.vulnerability !== undefined
          ? { vulnerability: layer.vulnerability }
          : layer.group !== undefined
            ? { group: layer.group }
            : {};
    for (const cell of cellEdges) {
      const edge = table.edges[cell.edge]!;
      cells.push({
        areaId: areas[cell.area]!.id,
        nationality: cell.nationality,
        ...tag,
        ...(edge.suppressed
          ? { suppressed: true, reason: edge.reason }
          : { count: edge.value, communities: cell.communities, suppressed: false }),
      } as SummaryCell);
    }
    for (const [area, edge] of rowEdge) totals.push({ areaId: areas[area]!.id, ...tag, ...published(table.edges[edge]!) } as SummaryTotal);
    nationalities.forEach((nationality, column) =>
      totals.push({ nationality, ...tag, ...published(table.edges[columnEdge[column]!]!) } as SummaryTotal),
    );
    totals.push({ ...tag, ...published(table.edges[grandEdge]!) } as SummaryTotal);
  }
  const byLayerThenArea = <Entry extends { areaId?: string; nationality?: string } & Layer>(a: Entry, b: Entry) =>
    compare(layerKey(a), layerKey(b)) || compare(a.areaId ?? '', b.areaId ?? '') || compare(a.nationality ?? '', b.nationality ?? '');
  cells.sort(byLayerThenArea);
  totals.sort(byLayerThenArea);
  return ok({
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    orgId: options.orgId,
    generatedAt: options.generatedAt,
    threshold,
    dimensions,
    areas: areas.map((area) => ({ id: area.id, name: area.name })).sort((a, b) => compare(a.id, b.id)),
    cells,
    totals,
    outsideAreas: outside > 0 && outside < threshold ? { suppressed: true } : { count: outside, suppressed: false },
  });
}

/**
 * Audit of a published summary, from the published figures alone: the suppressed cells and totals
 * that someone could recompute exactly from the additivity equations. Empty for a safe summary.
 */
export function recoverableFromSummary(summary: Summary): (SummaryCell | SummaryTotal)[] {
  const recoverable: (SummaryCell | SummaryTotal)[] = [];
  const layers = new Map<string, { cells: SummaryCell[]; totals: SummaryTotal[] }>();
  for (const cell of summary.cells) {
    const key = layerKey(cell);
    if (!layers.has(key)) layers.set(key, { cells: [], totals: [] });
    layers.get(key)!.cells.push(cell);
  }
  for (const total of summary.totals) {
    const key = layerKey(total);
    if (!layers.has(key)) layers.set(key, { cells: [], totals: [] });
    layers.get(key)!.totals.push(total);
  }
  const areaRow = new Map(summary.areas.map((area, row) => [area.id, row]));
  for (const { cells, totals } of layers.values()) {
    const nationalities = [
      ...new Set([...cells.map((cell) => cell.nationality), ...totals.flatMap((total) => (total.nationality ? [total.nationality] : []))]),
    ].sort(compare);
    const column = new Map(nationalities.map((nationality, index) => [nationality, index]));
    const table: Table = { rows: summary.areas.length, columns: nationalities.length, edges: [] };
    const entries: (SummaryCell | SummaryTotal)[] = [];
    const push = (entry: SummaryCell | SummaryTotal, from: number, to: number) => {
      entries.push(entry);
      table.edges.push({ from, to, value: entry.count ?? 0, suppressed: entry.suppressed });
    };
    for (const cell of cells) push(cell, areaRow.get(cell.areaId)!, columnNode(table, column.get(cell.nationality)!));
    for (const total of totals) {
      if (total.areaId !== undefined) push(total, areaRow.get(total.areaId)!, totalsColumn(table));
      else if (total.nationality !== undefined) push(total, totalsRow(table), columnNode(table, column.get(total.nationality)!));
      else push(total, totalsRow(table), totalsColumn(table));
    }
    for (const index of recoverableEdges(table)) recoverable.push(entries[index]!);
  }
  return recoverable;
}

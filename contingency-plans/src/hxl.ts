// HXL-tagged CSV tables (Humanitarian Exchange Language): a header row for people, then a row of
// hashtags for machines (#adm1+name, #geo+lat, #country+code, #affected...), then the data. Tables:
// assignment of communities to assembly points, summaries (the evacuation manifest's is in manifest.ts).
import type { AssignmentResult } from './assign.ts';
import { type CsvValue, parseCsv, toCsv } from '#model/csv';
import { scaleBreakdown, type SexAgeBreakdown } from './inputs.ts';
import { convertError, type ConvertError, fail, ok, type Result } from './result.ts';
import type { Summary } from './summary.ts';

export interface HxlColumn {
  header: string;
  /** Hashtag with attributes, e.g. "#affected+f+children". */
  tag: string;
}

const hashtag = /^#[a-z][a-z0-9_]*(\s*\+[a-z][a-z0-9_]*)*$/;

/** True for an HXL hashtag with optional attributes: lower-case letters, digits and underscores. */
export function isHxlHashtag(text: string): boolean {
  return hashtag.test(text);
}

/** A header row, a hashtag row (see isHxlHashtag), then the rows. */
export function hxlCsv(columns: HxlColumn[], rows: CsvValue[][]): string {
  return toCsv([columns.map((column) => column.header), columns.map((column) => column.tag), ...rows]);
}

export interface HxlTable {
  headers: string[];
  tags: string[];
  rows: string[][];
}

/** Reads an HXL CSV: the hashtag row is the first row whose non-empty fields are all hashtags. */
export function parseHxlCsv(text: string): Result<HxlTable, ConvertError> {
  const parsed = parseCsv(text);
  if (!parsed.ok) return fail(convertError(parsed.error.message, parsed.error.where));
  const rows = parsed.value;
  const tagRow = rows.findIndex(
    (row) => row.some((cell) => cell.trim() !== '') && row.every((cell) => cell.trim() === '' || hashtag.test(cell.trim())),
  );
  if (tagRow < 0) return fail(convertError('no HXL hashtag row (such as #adm1+name,#affected) found: is this an HXL file?'));
  return ok({ headers: tagRow > 0 ? rows[tagRow - 1]! : [], tags: rows[tagRow]!.map((cell) => cell.trim()), rows: rows.slice(tagRow + 1) });
}

const sexAgeGroups = [
  { sex: 'female', band: 'children', header: 'Girls', tag: '#affected+f+children' },
  { sex: 'female', band: 'adults', header: 'Women', tag: '#affected+f+adults' },
  { sex: 'female', band: 'elderly', header: 'Older women', tag: '#affected+f+elderly' },
  { sex: 'male', band: 'children', header: 'Boys', tag: '#affected+m+children' },
  { sex: 'male', band: 'adults', header: 'Men', tag: '#affected+m+adults' },
  { sex: 'male', band: 'elderly', header: 'Older men', tag: '#affected+m+elderly' },
] as const;

/** The breakdown scaled to the part of the community placed here (largest remainder); blanks when unknown. */
function sexAgeColumns(breakdown: SexAgeBreakdown | undefined, people: number, communityHeadcount: number): CsvValue[] {
  if (!breakdown) return sexAgeGroups.map(() => '');
  const whole = new Map<string, number>();
  for (const group of sexAgeGroups) {
    const bands = breakdown[group.sex];
    if (bands) whole.set(group.tag, bands[group.band]);
  }
  const known = [...whole.values()].reduce((sum, count) => sum + count, 0);
  // Scale the known part by the share of the community placed here.
  const part = communityHeadcount > 0 ? Math.round((known * people) / communityHeadcount) : 0;
  const scaled = people === communityHeadcount ? whole : scaleBreakdown(whole, part);
  return sexAgeGroups.map((group) => (breakdown[group.sex] ? (scaled.get(group.tag) ?? 0) : ''));
}

/** One row per assignment, then one per unassigned community. */
export function assignmentCsv(assignment: AssignmentResult, names: { assemblyPoints?: Map<string, string> } = {}): string {
  const columns: HxlColumn[] = [
    { header: 'Community', tag: '#group+community+code' },
    { header: 'Assembly point', tag: '#loc+assembly+code' },
    { header: 'Assembly point name', tag: '#loc+assembly+name' },
    { header: 'People', tag: '#affected' },
    { header: 'Distance (km)', tag: '#indicator+distance_km+num' },
    { header: 'Along routes', tag: '#indicator+via_routes' },
    { header: 'Split', tag: '#indicator+split' },
    { header: 'Unassigned because', tag: '#status+unassigned' },
    ...sexAgeGroups.map((group) => ({ header: group.header, tag: group.tag })),
  ];
  const rows: CsvValue[][] = [
    ...assignment.assignments.map((entry) => [
      entry.communityId,
      entry.assemblyPointId,
      names.assemblyPoints?.get(entry.assemblyPointId) ?? '',
      entry.people,
      Math.round(entry.distanceKm * 1000) / 1000,
      entry.viaRoutes,
      entry.split,
      '',
      ...sexAgeColumns(entry.breakdown, entry.people, entry.communityHeadcount),
    ]),
    ...assignment.unassigned.map((entry) => [
      entry.communityId,
      '',
      '',
      entry.people,
      '',
      '',
      '',
      entry.reason,
      ...sexAgeColumns(undefined, 0, 0),
    ]),
  ];
  return hxlCsv(columns, rows);
}

/** A published summary: cells then totals; suppressed counts are left empty and flagged. */
export function summaryCsv(summary: Summary): string {
  const names = new Map(summary.areas.map((area) => [area.id, area.name]));
  const columns: HxlColumn[] = [
    { header: 'Area code', tag: '#adm1+code' },
    { header: 'Area', tag: '#adm1+name' },
    { header: 'Nationality', tag: '#country+code' },
    { header: 'Need', tag: '#indicator+need' },
    { header: 'Vulnerability', tag: '#indicator+vulnerability' },
    { header: 'Sex and age', tag: '#indicator+sex_age' },
    { header: 'People', tag: '#affected' },
    { header: 'Communities', tag: '#affected+communities' },
    { header: 'Suppressed', tag: '#meta+suppressed' },
  ];
  const rows: CsvValue[][] = [
    ...summary.cells.map((cell) => [
      cell.areaId,
      names.get(cell.areaId),
      cell.nationality,
      cell.need,
      cell.vulnerability,
      cell.group,
      cell.count,
      cell.communities,
      cell.suppressed,
    ]),
    ...summary.totals.map((total) => [
      total.areaId ?? 'total',
      total.areaId ? names.get(total.areaId) : 'All areas',
      total.nationality ?? 'total',
      total.need,
      total.vulnerability,
      total.group,
      total.count,
      '',
      total.suppressed,
    ]),
  ];
  return hxlCsv(columns, rows);
}

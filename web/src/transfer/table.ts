// Reading the spreadsheets CSOs already keep: CSV (any delimiter papaparse can sniff, ODK and
// KoboToolbox exports included) and XLSX (the first sheet, with read-excel-file: the same code in
// the browser and in Node tests; cells formatted as dates come as dates).
import type { CellValue, SheetData } from 'read-excel-file/universal';
import { parseCsv as parseCsvRows } from '#model/csv';

export interface Table {
  headers: string[];
  /** HXL hashtags when the row under the headers holds them (#affected, #geo+lat …). */
  tags: string[] | null;
  rows: string[][];
  /** Spreadsheet row number of each data row (1-based, as the person sees it in their program). */
  rowNumbers: number[];
}

export type TableResult = { ok: true; table: Table } | { ok: false; reason: string };

function tableOf(grid: string[][]): TableResult {
  const nonEmpty = grid
    .map((row, index) => ({ row: row.map((cell) => cell.trim()), number: index + 1 }))
    .filter(({ row }) => row.some((cell) => cell !== ''));
  const [header, ...rest] = nonEmpty;
  if (!header) return { ok: false, reason: 'the file has no rows' };
  let data = rest;
  let tags: string[] | null = null;
  const first = rest[0]?.row;
  if (
    first &&
    first.filter((cell) => cell !== '').length > 0 &&
    first.filter((cell) => cell !== '').every((cell) => cell.startsWith('#'))
  ) {
    tags = header.row.map((_, index) => first[index] ?? '');
    data = rest.slice(1);
  }
  return {
    ok: true,
    table: {
      headers: header.row,
      tags,
      rows: data.map(({ row }) => header.row.map((_, index) => row[index] ?? '')),
      rowNumbers: data.map(({ number }) => number),
    },
  };
}

/** A CSV file as a table (the delimiter detected: comma, semicolon, tab...). */
export function parseCsv(text: string): TableResult {
  const parsed = parseCsvRows(text, { delimiter: 'detect' });
  if (!parsed.ok) return { ok: false, reason: `${parsed.error.message}${parsed.error.where ? ` (${parsed.error.where})` : ''}` };
  return tableOf(parsed.value);
}

/** A spreadsheet cell as the text a person sees: dates as YYYY-MM-DD (or the full time when there is one). */
function cellText(value: CellValue | null): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/** The first sheet of an Excel (.xlsx) workbook, read with read-excel-file (loaded on first use). */
export async function parseXlsx(bytes: Uint8Array): Promise<TableResult> {
  // Loaded when a workbook is opened, not with the app.
  const { readSheet } = await import('read-excel-file/universal');
  let rows: SheetData;
  try {
    rows = await readSheet(bytes.slice().buffer, 1, { trim: false });
  } catch {
    return { ok: false, reason: 'this is not an Excel (.xlsx) file, or it is damaged' };
  }
  return tableOf(rows.map((row) => row.map(cellText)));
}

export async function readTable(file: File): Promise<TableResult> {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return parseXlsx(new Uint8Array(await file.arrayBuffer()));
  if (name.endsWith('.xls')) return { ok: false, reason: 'old .xls files cannot be read: save it as .xlsx or CSV' };
  return parseCsv(await file.text());
}

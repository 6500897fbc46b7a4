// Reading the spreadsheets CSOs already keep: CSV (any delimiter papaparse can sniff, ODK and
// KoboToolbox exports included) and XLSX (the first sheet; read with fflate and a small parser of
// the sheet XML, so it runs the same in the browser and in Node tests).
import { strFromU8, unzipSync } from 'fflate';
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
  const nonEmpty = grid.map((row, index) => ({ row: row.map((cell) => cell.trim()), number: index + 1 })).filter(({ row }) => row.some((cell) => cell !== ''));
  const [header, ...rest] = nonEmpty;
  if (!header) return { ok: false, reason: 'the file has no rows' };
  let data = rest;
  let tags: string[] | null = null;
  const first = rest[0]?.row;
  if (first && first.filter((cell) => cell !== '').length > 0 && first.filter((cell) => cell !== '').every((cell) => cell.startsWith('#'))) {
    tags = header.row.map((_, index) => first[index] ?? '');
    data = rest.slice(1);
  }
  return { ok: true, table: { headers: header.row, tags, rows: data.map(({ row }) => header.row.map((_, index) => row[index] ?? '')), rowNumbers: data.map(({ number }) => number) } };
}

/** A CSV file as a table (the delimiter detected: comma, semicolon, tab...). */
export function parseCsv(text: string): TableResult {
  const parsed = parseCsvRows(text, { delimiter: 'detect' });
  if (!parsed.ok) return { ok: false, reason: `${parsed.error.message}${parsed.error.where ? ` (${parsed.error.where})` : ''}` };
  return tableOf(parsed.value);
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    return entities[name] ?? whole;
  });
}

/** Text of every <t> inside a fragment (rich text has several runs). */
function texts(fragment: string): string {
  let out = '';
  for (const match of fragment.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) out += decodeXml(match[1]!);
  return out;
}

function columnIndex(reference: string): number {
  let index = 0;
  for (const letter of reference.replace(/\d+$/, '')) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

export function parseXlsx(bytes: Uint8Array): TableResult {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (file) => file.name.startsWith('xl/') });
  } catch {
    return { ok: false, reason: 'this is not an Excel (.xlsx) file' };
  }
  const sheetName = Object.keys(files)
    .filter((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)![1]) - Number(/(\d+)\.xml$/.exec(b)![1]))[0];
  if (!sheetName) return { ok: false, reason: 'the workbook has no sheet' };
  const shared = files['xl/sharedStrings.xml'] ? [...strFromU8(files['xl/sharedStrings.xml']).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((match) => texts(match[1]!)) : [];
  const sheet = strFromU8(files[sheetName]!);
  const grid: string[][] = [];
  for (const rowMatch of sheet.matchAll(/<row\b([^>]*)>([\s\S]*?)<\/row>/g)) {
    const rowNumber = Number(/\br="(\d+)"/.exec(rowMatch[1]!)?.[1] ?? grid.length + 1);
    const row: string[] = [];
    for (const cell of rowMatch[2]!.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attributes = cell[1]!;
      const inner = cell[2] ?? '';
      const reference = /\br="([A-Z]+\d*)"/.exec(attributes)?.[1];
      const type = /\bt="(\w+)"/.exec(attributes)?.[1];
      const raw = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
      let value = '';
      if (type === 's') value = shared[Number(raw)] ?? '';
      else if (type === 'inlineStr') value = texts(inner);
      else if (type === 'b') value = raw === '1' ? 'TRUE' : 'FALSE';
      else if (raw !== undefined) value = decodeXml(raw);
      row[reference ? columnIndex(reference) : row.length] = value;
    }
    while (grid.length < rowNumber - 1) grid.push([]);
    grid.push(Array.from(row, (cell) => cell ?? ''));
  }
  return tableOf(grid);
}

export async function readTable(file: File): Promise<TableResult> {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return parseXlsx(new Uint8Array(await file.arrayBuffer()));
  if (name.endsWith('.xls')) return { ok: false, reason: 'old .xls files cannot be read: save it as .xlsx or CSV' };
  return parseCsv(await file.text());
}

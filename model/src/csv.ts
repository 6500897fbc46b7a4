// The project's one CSV writer and one CSV reader. Writing follows RFC 4180 (comma, CRLF line
// ends, fields quoted when they hold a comma, a quote, a line break or edge spaces, quotes doubled)
// with one spreadsheet-formula guard; reading goes through papaparse, which also tells the
// delimiter of files saved with semicolons or tabs (spreadsheets in French or Arabic locales, ODK
// and KoboToolbox exports).
import Papa from 'papaparse';

export type CsvValue = string | number | boolean | undefined | null;

// A spreadsheet runs a cell as a formula when its first character is one of these (OWASP, CSV
// injection; ASVS 1.2.10 adds NUL), or their full-width forms, which some spreadsheets read as the
// ASCII ones.
const FORMULA_START = /^[=+\-@\t\r\0\uFF1D\uFF0B\uFF0D\uFF20]/;
// A signed number or a phone number: digits with spaces, dots, slashes, hyphens and parentheses.
// It runs no function and a quote would change what the person typed ("+218 91 234 5678", "-12.5").
const SIGNED_NUMBER = /^[+-][\d\s().\-/]*$/;

/**
 * `text` as a spreadsheet will show it and never run it: a leading apostrophe when it starts like a
 * formula (= @ + - tab, carriage return, NUL, or a full-width = + - @), except a signed number or
 * phone number.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !SIGNED_NUMBER.test(text) ? `'${text}` : text;
}

function field(value: CsvValue): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? neutraliseFormula(value) : String(value);
  // Quoted also when it holds a semicolon or a tab: spreadsheets in French, German or Spanish
  // locales split an opened .csv on semicolons, and a formula after one ("a;=1+1") would start a
  // cell of its own there; inside quotes it stays in this one.
  return /[",;\t\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV text, every string cell guarded against formulas (neutraliseFormula). */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return `${rows.map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}

export type CsvParse = { ok: true; value: string[][] } | { ok: false; error: { name: 'ConvertError'; message: string; where?: string } };

/**
 * Rows of fields. Accepts CRLF or LF line ends, a UTF-8 byte-order mark and an optional final line
 * end. `delimiter: 'detect'` lets papaparse choose between comma, semicolon, tab and the others it
 * knows (a one-column file counts as comma-separated). A quoted field never closed, or text after a
 * closing quote, is an error naming the row.
 */
export function parseCsv(text: string, options: { delimiter?: ',' | 'detect' } = {}): CsvParse {
  // A final line end ends the last row; it does not start an empty one (left in, it would also
  // keep papaparse from detecting the delimiter).
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r?\n$|\r$/, '');
  if (body === '') return { ok: true, value: [] };
  const parsed = Papa.parse<string[]>(body, { delimiter: options.delimiter === 'detect' ? '' : ',', skipEmptyLines: false });
  const quoteError = parsed.errors.find((error) => error.type === 'Quotes');
  if (quoteError) {
    const message =
      quoteError.code === 'MissingQuotes'
        ? 'a quoted field is never closed: the file may be cut short'
        : 'text after a closing quote: quote the whole field';
    return {
      ok: false,
      error: { name: 'ConvertError', message, ...(quoteError.row !== undefined ? { where: `row ${quoteError.row + 1}` } : {}) },
    };
  }
  return { ok: true, value: parsed.data.map((row) => row.map(String)) };
}

// CSV writing and reading (RFC 4180): comma-separated, CRLF line ends, fields quoted when they hold
// a comma, a quote, a line break or edge spaces, quotes doubled inside quoted fields.

export type CsvValue = string | number | boolean | undefined | null;

/**
 * Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice against
 * CSV injection): anything starting with = or @, tab or carriage return, and anything starting
 * with + or - that is more than a number or a phone number ("+218 91 234 5678", "-12.5" stay as they are).
 */
export function neutraliseFormula(text: string): string {
  if (/^[=@\t\r]/.test(text)) return `'${text}`;
  if (/^[+-]/.test(text) && !/^[+-][\d\s().\-/]*$/.test(text)) return `'${text}`;
  return text;
}

function field(value: CsvValue): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? neutraliseFormula(value) : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: CsvValue[][]): string {
  return rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

export type CsvParse = { ok: true; value: string[][] } | { ok: false; error: { name: 'ConvertError'; message: string; where?: string } };

/** Rows of fields; accepts CRLF or LF line ends and a UTF-8 byte-order mark; a final line end is optional. */
export function parseCsv(text: string): CsvParse {
  const rows: string[][] = [];
  let row: string[] = [];
  let current = '';
  let quoted = false;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let fieldStarted = false;
  while (i < text.length) {
    const character = text[i]!;
    if (quoted) {
      if (character === '"') {
        if (text[i + 1] === '"') {
          current += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          return { ok: false, error: { name: 'ConvertError', message: 'text after a closing quote: quote the whole field', where: `line ${line}` } };
        }
        continue;
      }
      if (character === '\n') line++;
      current += character;
      i++;
      continue;
    }
    if (character === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (character === ',') {
      row.push(current);
      current = '';
      fieldStarted = false;
      i++;
    } else if (character === '\r' || character === '\n') {
      row.push(current);
      rows.push(row);
      row = [];
      current = '';
      fieldStarted = false;
      i += character === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
    } else {
      current += character;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) return { ok: false, error: { name: 'ConvertError', message: 'a quoted field is never closed: the file may be cut short', where: `line ${line}` } };
  if (fieldStarted || row.length > 0) {
    row.push(current);
    rows.push(row);
  }
  return { ok: true, value: rows };
}

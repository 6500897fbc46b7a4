// Guard: the web client draws no icon as a character that needs a font the page does not ship.
// The page ships no font (styles.css names system fonts), so a symbol is only safe when every
// ordinary UI font has it; an emoji or dingbat is drawn from whatever emoji or symbol font the
// device happens to have, and Debian's Chromium (DejaVu and Liberation only) showed a box (□)
// before each person's name in the record list. Icons are inline SVG instead (ui/icons.tsx).
//
// What is checked: every character of every string and JSX text in the .ts/.tsx files under
// web/src (the i18n catalogues included; comments and tests are not drawn) and of every CSS
// `content:` value. Letters, combining marks and digits of any script are text, not icons: they
// are drawn by the device's fonts for that language (people's names, a language's own name in
// the relay screen). Every other character (punctuation, symbols) must lie in `covered`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const webSource = fileURLToPath(new URL('..', import.meta.url));

/**
 * Punctuation and symbols that every UI font has: Basic Latin and Latin-1, and the punctuation,
 * arrows, minus and shapes of WGL4 (the glyph list Windows fonts, Roboto, Noto Sans, San Francisco,
 * DejaVu and Liberation all cover). The Arabic punctuation is drawn by the same font as the Arabic
 * letters around it ('Noto Sans Arabic' in styles.css, DejaVu Sans on Debian).
 */
const covered: [number, number][] = [
  [0x0020, 0x007e], // Basic Latin
  [0x00a0, 0x00ff], // Latin-1: « » · × ° ¿
  [0x060c, 0x060c], // Arabic comma
  [0x061b, 0x061b], // Arabic semicolon
  [0x061f, 0x061f], // Arabic question mark
  [0x066a, 0x066d], // Arabic percent, decimal and thousands separators, five-pointed star
  [0x2013, 0x2014], // en and em dash
  [0x2018, 0x201e], // quotation marks
  [0x2020, 0x2022], // daggers, bullet
  [0x2026, 0x2026], // ellipsis
  [0x2030, 0x2030], // per mille
  [0x2039, 0x203a], // single angle quotes
  [0x2190, 0x2195], // arrows ← ↑ → ↓ ↔ ↕
  [0x2212, 0x2212], // minus
  [0x25a0, 0x25a1], // ■ □
  [0x25b2, 0x25b2], // ▲
  [0x25bc, 0x25bc], // ▼
  [0x25cb, 0x25cb], // ○
  [0x25cf, 0x25cf], // ●
];

/** Text of any script (drawn by that language's fonts), spaces, and invisible format characters. */
const text = /[\p{L}\p{M}\p{N}\s\p{Cf}]/u;

function files(folder: string, pattern: RegExp): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return files(full, pattern);
    return pattern.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The drawn strings of web/src: each with where it is, as `file:line`. */
function drawnStrings(): { at: string; value: string }[] {
  const found: { at: string; value: string }[] = [];
  for (const file of files(webSource, /\.tsx?$/)) {
    const source = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
      file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    const visit = (node: ts.Node) => {
      if (
        ts.isStringLiteralLike(node) ||
        ts.isJsxText(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)
      ) {
        const value = (node as ts.LiteralLikeNode).text;
        if (value)
          found.push({ at: `${path.relative(webSource, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`, value });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  for (const file of files(webSource, /\.css$/)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        for (const match of line.matchAll(/content:\s*(['"])(.*?)\1/g))
          found.push({ at: `${path.relative(webSource, file)}:${index + 1}`, value: match[2]! });
      });
  }
  return found;
}

function uncovered(value: string): string[] {
  return [...value]
    .filter((character) => !text.test(character))
    .filter((character) => {
      const point = character.codePointAt(0)!;
      return !covered.some(([from, to]) => point >= from && point <= to);
    })
    .map((character) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ${character}`);
}

describe('glyphs', () => {
  it('no string, JSX text or CSS content of the web client needs a font the page does not ship', () => {
    const strings = drawnStrings();
    expect(strings.length).toBeGreaterThan(1_000); // the catalogues and the screens were read
    const outside = strings.flatMap(({ at, value }) => uncovered(value).map((character) => `${at}: ${character}`));
    expect(outside).toEqual([]);
  });

  it('the check tells icons from text', () => {
    expect(uncovered('👤 Sita · सीता गुरुङ, «سيتا»؟ – 12 → ok')).toEqual(['U+1F464 👤']);
    expect(uncovered('⚠ ✉ ✔ ✕ \ue000')).toEqual(['U+26A0 ⚠', 'U+2709 ✉', 'U+2714 ✔', 'U+2715 ✕', 'U+E000 \ue000']);
  });
});

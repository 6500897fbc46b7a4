import { readFileSync } from 'node:fs';
import { releaseFieldNames } from '#crypto/protocol';
import { describe, expect, it } from 'vitest';
import type { RecordBody } from './records.ts';
import { ALWAYS_RELEASED, columnsOf, communityFields, fieldsOf, personFields, releasedProperties } from './fields.ts';

/** The table of crypto/FORMAT.md ("`names` → `name`, `nameLatin`; ..."): what a reader of a bundle is told. */
function formatTable(): Map<string, string[]> {
  const text = readFileSync(new URL('../../crypto/FORMAT.md', import.meta.url), 'utf8');
  const paragraph = text.slice(text.indexOf('`releaseFieldNames`'), text.indexOf('1. The first 25 bytes')).replace(/\s+/g, ' ');
  const table = new Map<string, string[]>();
  for (const [, group, properties] of paragraph.matchAll(/`(\w+)` → ((?:`\w+`(?:, )?)+)/g))
    table.set(
      group!,
      [...properties!.matchAll(/`(\w+)`/g)].map((match) => match[1]!),
    );
  return table;
}

describe('field catalogue', () => {
  it('gives, for each release group, exactly the properties crypto/FORMAT.md tells a reader', () => {
    const table = formatTable();
    expect([...table.keys()].sort()).toEqual([...releaseFieldNames].sort());
    for (const group of releaseFieldNames) {
      expect(releasedProperties([group]), group).toEqual([...new Set([...ALWAYS_RELEASED, ...table.get(group)!])].sort());
    }
    expect(releasedProperties([])).toEqual([...ALWAYS_RELEASED].sort());
  });

  it('never releases consent, the refugee flag or notes, whatever is asked', () => {
    const everything = releasedProperties(releaseFieldNames);
    for (const property of ['consent', 'refugee', 'notes', 'updatedBy', 'parents']) expect(everything).not.toContain(property);
  });

  for (const [kind, fields] of Object.entries(fieldsOf)) {
    it(`${kind}: names, import words and hashtags are each claimed once, and hashtags are HXL`, () => {
      const names = fields.map((field) => field.name);
      expect(names.length).toBe(new Set(names).size);
      const words = fields.flatMap((field) => field.synonyms);
      expect(words.filter((word, index) => words.indexOf(word) !== index)).toEqual([]);
      const columns = columnsOf<RecordBody>(fields);
      const tags = columns.map((field) => field.column.hxl);
      expect(tags.filter((tag, index) => tags.indexOf(tag) !== index)).toEqual([]);
      for (const tag of tags) expect(tag).toMatch(/^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$/);
      for (const field of fields) if (field.input.kind === 'choice') expect(field.input.options).toContain(field.input.fallback);
    });
  }

  it('reads a released part of a record (absent properties read as absent)', () => {
    const name = personFields.find((field) => field.name === 'name')!;
    const passport = personFields.find((field) => field.name === 'passport')!;
    expect(name.read({ name: 'Sita' })).toBe('Sita');
    expect(passport.read({ name: 'Sita' })).toBeUndefined();
    const elderly = communityFields.find((field) => field.name === 'elderly')!;
    expect(elderly.read({ headcount: { total: 9, female: { children: 1, adults: 2, elderly: 3 } } })).toBe(3);
  });
});

// Issue 17: adding a field is the schema, one catalogue entry, its label and the fixtures. This test
// adds one (a person's occupation) the way a developer would, to a copy of the schema and the
// catalogue, and follows it through every place that derives from the catalogue: the form, the
// record it builds, the detail view, the CSV export, the import, the evacuation manifest and the
// release scope. Nothing else is changed for it.
import { buildManifest, manifestColumns, manifestToCsv } from '#plans/manifest';
import { parseHxlCsv } from '#plans';
import { communityFields, personFields, releasedProperties, type Field } from '#model/fields';
import { buildPerson, type RecordModel } from '#model/forms';
import { person, type Person } from '#model/records';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCsv } from '../transfer/table.ts';
import { columnsFor, toHxlCsv } from '../transfer/export.ts';
import { guessMapping, importRows } from '../transfer/mapping.ts';
import { factRows } from './Facts.tsx';
import { catalogueInputs } from './fields.tsx';
import { PERSON_DRAWN_BY_HAND } from './PersonForm.tsx';

// 1. The schema: one property.
const withOccupation = person.safeExtend({ occupation: z.string().max(100).optional() });
type PersonWithOccupation = Person & { occupation?: string };

// 2. The catalogue: one entry.
const occupation: Field<PersonWithOccupation> = {
  name: 'occupation',
  label: 'person.occupation',
  property: 'occupation',
  release: 'demographics',
  input: { kind: 'text', max: 100 },
  read: (body) => body.occupation,
  column: { header: 'occupation', hxl: '#beneficiary+occupation' },
  synonyms: ['occupation', 'job', 'trade', 'metier', 'profession', 'oficio', '#beneficiaryoccupation'],
  sensitivity: 'operational',
};
const fields: readonly Field<PersonWithOccupation>[] = [...personFields, occupation];
const model: RecordModel<PersonWithOccupation> = { fields, schema: withOccupation };

const values = { name: 'Bishnu Tamang', nationality: 'np', sex: 'male', status: 'stranded', passport: 'confiscated', occupation: 'welder' };
const context = { id: crypto.randomUUID(), memberId: 'member-1', at: '2026-12-07T10:00:00.000Z' };

describe('a field added through the catalogue', () => {
  it('is asked in the person form', () => {
    expect(catalogueInputs(fields, PERSON_DRAWN_BY_HAND).map((field) => field.name)).toEqual(['occupation']);
  });

  const built = buildPerson(values, null, context, model);
  const body = built.ok ? built.body : null;

  it('is in the record the form builds, checked by the schema', () => {
    expect(built.ok ? built.body.occupation : built.issues).toBe('welder');
    expect(buildPerson({ ...values, occupation: 'x'.repeat(101) }, null, context, model).ok).toBe(false);
  });

  it('is shown in the detail view', () => {
    const rows = factRows(body!, fields);
    expect(rows.map((row) => row.field.name)).toContain('occupation');
    expect(rows.find((row) => row.field.name === 'occupation')?.field.label).toBe('person.occupation');
  });

  it('is a column of the CSV export, with its hashtag', () => {
    const csv = toHxlCsv([body!], columnsFor(fields)).split('\r\n');
    const at = csv[0]!.split(',').indexOf('occupation');
    expect(at).toBeGreaterThan(0);
    expect(csv[1]!.split(',')[at]).toBe('#beneficiary+occupation');
    expect(csv[2]!.split(',')[at]).toBe('welder');
  });

  it('is recognised and read by the import', () => {
    const parsed = parseCsv('Full name,Nationality,Job\nAmina Yusuf,SD,nurse\n');
    if (!parsed.ok) throw new Error(parsed.reason);
    const mapping = guessMapping(parsed.table, 'person', fields);
    expect(mapping).toEqual(['name', 'nationality', 'occupation']);
    const result = importRows(
      parsed.table,
      mapping,
      'person',
      { memberId: 'member-1', at: context.at, newId: () => crypto.randomUUID(), defaults: { status: 'stranded', siteType: 'other' } },
      { fields, schema: withOccupation },
    );
    expect(result.failures).toEqual([]);
    expect(result.versions).toHaveLength(1);
    expect((result.versions[0]!.body as PersonWithOccupation).occupation).toBe('nurse');
  });

  it('is released with its group, and is a column of the evacuation manifest', () => {
    expect(releasedProperties(['demographics'], [communityFields, fields])).toContain('occupation');
    expect(releasedProperties(['names'], [communityFields, fields])).not.toContain('occupation');
    const released = { id: body!.id, kind: 'person', name: body!.name, sex: body!.sex, occupation: 'welder' };
    const csv = manifestToCsv(buildManifest([released]), manifestColumns({ community: communityFields, person: fields }));
    const table = parseHxlCsv(csv);
    if (!table.ok) throw new Error(table.error.message);
    expect(table.value.rows[0]![table.value.tags.indexOf('#beneficiary+occupation')]).toBe('welder');
  });
});

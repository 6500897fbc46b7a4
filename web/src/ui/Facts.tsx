// What a record says, from the field catalogue (model/src/fields.ts): each field that holds a value,
// in catalogue order, with its label and its value as a person reads it (a choice by its label, a
// country by its name, a phone left to right). A field of a group (a family contact, the documents)
// is shown on its group's row. Fields the form draws by hand are shown only when the screen gives
// a way (`special`); the name, status and whereabouts are shown by the detail view itself.
import type { ComponentChildren } from 'preact';
import type { Field, FieldValue } from '#model/fields';
import type { RecordBody } from '#model/records';
import { countryName, formatMessage, formatNumber } from '../i18n/index.ts';

/** How the screen shows a field the catalogue cannot (the headcount breakdown, consent): null to leave it out. */
export type Special<Body> = Partial<Record<string, (body: Body) => ComponentChildren | null>>;

/** Shown by the detail view around the facts: its title, its status badge, its version line. */
const shownAround = new Set(['name', 'status', 'updatedAt']);

const present = (value: FieldValue): boolean =>
  value !== undefined && value !== '' && value !== false && !(Array.isArray(value) && value.length === 0);

/** One value as a person reads it. */
export function shownValue<Body extends RecordBody>(field: Field<Body>, value: FieldValue): ComponentChildren {
  const input = field.input;
  const items = typeof value === 'object' && value !== null ? value : [];
  switch (input.kind) {
    case 'choice':
      return formatMessage(`${input.labels}.${String(value)}`);
    case 'choices':
      return items.map((item) => formatMessage(`${input.labels}.${item}`)).join(', ');
    case 'country':
      return countryName(String(value));
    case 'phone':
      return <bdi dir="ltr">{String(value)}</bdi>;
    case 'yes':
      return formatMessage(field.label);
    default:
      if (typeof value === 'number') return formatNumber(value);
      if (typeof value === 'object') return items.join(', ');
      return String(value);
  }
}

/** The rows the detail view shows for a record: each field with a value, its group's on one row. */
export function factRows<Body extends RecordBody>(
  body: Body,
  fields: readonly Field<Body>[],
  special: Special<Body> = {},
): { field: Field<Body>; value: ComponentChildren }[] {
  const rows: { field: Field<Body>; value: ComponentChildren }[] = [];
  for (const field of fields) {
    const own = special[field.name];
    if (own) {
      const value = own(body);
      if (value !== null) rows.push({ field, value });
      continue;
    }
    if (field.input.kind === 'custom' || shownAround.has(field.name)) continue;
    // A group is one row, on the field that decides it is there (the family contact's name).
    if (field.group && field.group.key !== field.name) continue;
    const value = field.read(body);
    if (!present(value)) continue;
    const members = field.group
      ? fields.filter(
          (other) => other !== field && other.group?.key === field.name && other.input.kind !== 'yes' && present(other.read(body)),
        )
      : [];
    rows.push({
      field,
      value: (
        <>
          {shownValue(field, value)}
          {members.length > 0 && (
            <>
              {' ('}
              {members.map((member, index) => (
                <>
                  {index > 0 && ', '}
                  {shownValue(member, member.read(body))}
                </>
              ))}
              {')'}
            </>
          )}
        </>
      ),
    });
  }
  return rows;
}

export function Facts<Body extends RecordBody>({
  body,
  fields,
  special = {},
}: {
  body: Body;
  fields: readonly Field<Body>[];
  special?: Special<Body>;
}) {
  return (
    <dl class="facts">
      {factRows(body, fields, special).map(({ field, value }) => (
        <>
          <dt key={`${field.name}-label`}>{formatMessage(field.shown ?? field.label)}</dt>
          <dd key={field.name} data-testid={`detail-${field.name}`}>
            {value}
          </dd>
        </>
      ))}
    </dl>
  );
}

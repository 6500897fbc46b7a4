// Small form pieces shared by the record forms.
import type { ComponentChildren } from 'preact';
import { formatMessage, t, type MessageKey } from '../i18n/index.ts';
import type { Field } from '#model/fields';
import type { FormValues } from '#model/forms';
import type { RecordBody } from '#model/records';

/** Every field of a form as FormValues: lists for checkboxes, strings for the rest. */
export function formValues(form: HTMLFormElement): FormValues {
  const values: FormValues = {};
  const data = new FormData(form);
  for (const element of Array.from(form.elements)) {
    const name = (element as HTMLInputElement).name;
    if (!name || name in values) continue;
    values[name] = (element as HTMLInputElement).type === 'checkbox' ? data.getAll(name).map(String) : String(data.get(name) ?? '');
  }
  return values;
}

/** The options the message catalogue labels under `prefix`: OptionOf<'status'> is 'stranded' | 'sheltering' | … */
type OptionOf<Prefix extends string> = MessageKey extends infer Key ? (Key extends `${Prefix}.${infer Option}` ? Option : never) : never;

/** The label of `option` under `prefix`; the compiler checks at each call that every option has one. */
const optionLabel = <Prefix extends string>(prefix: Prefix, option: OptionOf<Prefix>) => t(`${prefix}.${option}` as MessageKey);

/** Checkboxes, one per option: what Checks and a catalogue field of kind "choices" draw. */
function CheckList<Option extends string>({
  name,
  legend,
  options,
  labelOf,
  checked,
}: {
  name: string;
  legend: string;
  options: readonly Option[];
  labelOf: (option: Option) => string;
  checked: readonly string[];
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label class="check" key={option}>
          <input type="checkbox" name={name} value={option} defaultChecked={checked.includes(option)} /> {labelOf(option)}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * A select, one option per value: what Choice and a catalogue field of kind "choice" draw. The chosen
 * option is marked `selected` (Preact does not apply a select's defaultValue).
 */
function Select<Option extends string>({
  name,
  label,
  options,
  labelOf,
  value,
}: {
  name: string;
  label: string;
  options: readonly Option[];
  labelOf: (option: Option) => string;
  value: string | undefined;
}) {
  return (
    <label>
      {label}
      <select name={name}>
        {options.map((option) => (
          <option value={option} key={option} selected={option === value}>
            {labelOf(option)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Checks<Prefix extends string>(props: {
  name: string;
  legend: string;
  options: readonly OptionOf<Prefix>[];
  prefix: Prefix;
  checked: readonly string[];
}) {
  return <CheckList {...props} labelOf={(option) => optionLabel(props.prefix, option)} />;
}

export function Choice<Prefix extends string>(props: {
  name: string;
  label: string;
  options: readonly OptionOf<Prefix>[];
  prefix: Prefix;
  value?: string;
}) {
  return <Select {...props} value={props.value} labelOf={(option) => optionLabel(props.prefix, option)} />;
}

export function Problems({ issues }: { issues: { path: string; message: string }[] | string | null }) {
  if (!issues || issues.length === 0) return null;
  const lines =
    typeof issues === 'string'
      ? [issues]
      : issues.slice(0, 5).map((issue) => t('error.fix', { field: issue.path || '—', message: issue.message }));
  return (
    <div class="error" role="alert">
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  );
}

export function Row({ children }: { children: ComponentChildren }) {
  return <div class="row">{children}</div>;
}

/** The end of the community and person forms: free notes, then save and cancel. */
export function NotesAndSave({ notes, busy, onCancel }: { notes: string | undefined; busy: boolean; onCancel: () => void }) {
  return (
    <>
      <label>
        {t('community.notes')}
        <textarea name="notes" rows={3} maxLength={10_000} defaultValue={notes} />
      </label>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('form.working') : t('capture.save')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('capture.cancel')}
        </button>
      </div>
    </>
  );
}

/**
 * The catalogue's fields a form does not draw by hand, in catalogue order (model/src/fields.ts): a
 * field added to the catalogue shows up in the form with no other change. Fields of a group, and
 * those the catalogue marks as drawn by hand, are the form's own.
 */
export function catalogueInputs<Body extends RecordBody>(fields: readonly Field<Body>[], drawnByHand: ReadonlySet<string>): Field<Body>[] {
  return fields.filter(
    (field) => !drawnByHand.has(field.name) && !field.group && field.input.kind !== 'custom' && field.input.kind !== 'phone',
  );
}

/** The catalogue's label of each option: the message under `labels`, e.g. `status.stranded`. */
const labelsUnder = (labels: string) => (option: string) => formatMessage(`${labels}.${option}`);

/** One catalogue field as an input, by how the catalogue says it is asked, filled from the record being edited. */
export function FieldInput<Body extends RecordBody>({ field, existing }: { field: Field<Body>; existing: Partial<Body> | null }) {
  const value = existing ? field.read(existing) : undefined;
  const label = formatMessage(field.label);
  const input = field.input;
  const items = typeof value === 'object' && value !== null ? value : [];
  switch (input.kind) {
    case 'choices':
      return <CheckList name={field.name} legend={label} options={input.options} labelOf={labelsUnder(input.labels)} checked={items} />;
    case 'choice':
      return (
        <Select
          name={field.name}
          label={label}
          options={input.options}
          labelOf={labelsUnder(input.labels)}
          value={typeof value === 'string' ? value : input.fallback}
        />
      );
    case 'yes':
      return (
        <label class="check">
          <input type="checkbox" name={field.name} value="yes" defaultChecked={value === true} /> {label}
        </label>
      );
    case 'longText':
      return (
        <label>
          {label}
          <textarea name={field.name} rows={3} maxLength={input.max} defaultValue={typeof value === 'string' ? value : undefined} />
        </label>
      );
    default:
      return (
        <label>
          {label}
          <input
            name={field.name}
            type={input.kind === 'date' ? 'date' : 'text'}
            {...(input.kind === 'text' ? { maxLength: input.max, ...(input.latin ? { dir: 'ltr' } : {}) } : {})}
            {...(input.kind === 'country' ? { maxLength: 2, pattern: '[A-Za-z]{2}', dir: 'ltr' } : {})}
            defaultValue={typeof value === 'string' ? value : items.join(', ')}
          />
        </label>
      );
  }
}

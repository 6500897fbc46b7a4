// Small form pieces shared by the record forms.
import type { ComponentChildren } from 'preact';
import { t, type MessageKey } from '../i18n/index.ts';
import type { FormValues } from '#model/forms';

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

export function Checks<Prefix extends string>({ name, legend, options, prefix, checked }: { name: string; legend: string; options: readonly OptionOf<Prefix>[]; prefix: Prefix; checked: readonly string[] }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label class="check" key={option}>
          <input type="checkbox" name={name} value={option} defaultChecked={checked.includes(option)} /> {optionLabel(prefix, option)}
        </label>
      ))}
    </fieldset>
  );
}

export function Choice<Prefix extends string>({ name, label, options, prefix, value }: { name: string; label: string; options: readonly OptionOf<Prefix>[]; prefix: Prefix; value?: string }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value}>
        {options.map((option) => (
          <option value={option} key={option} selected={option === value}>
            {optionLabel(prefix, option)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Problems({ issues }: { issues: { path: string; message: string }[] | string | null }) {
  if (!issues || issues.length === 0) return null;
  const lines = typeof issues === 'string' ? [issues] : issues.slice(0, 5).map((issue) => t('error.fix', { field: issue.path || '—', message: issue.message }));
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

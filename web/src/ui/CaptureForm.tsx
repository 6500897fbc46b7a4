// The community form, for a new community and for an edit. What is typed becomes a record body in
// model/forms.ts and is checked with the record schema before it is sealed; a wrong field says so
// and nothing is saved. A new status or place adds a whereabouts entry.
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { buildCommunity, formatNationalities } from '#model/forms';
import { needs, siteTypes, statuses, vulnerabilities, type Community, type Position } from '#model/records';
import { PositionPicker } from '../position/PositionPicker.tsx';
import { newId } from '../session.ts';
import { catalogueInputs, Checks, Choice, formValues, NotesAndSave, Problems, FieldInput } from './fields.tsx';
import { communityFields } from '#model/fields';
import { PhoneCountrySelect, PhoneField, usePhoneCountry } from './phone.tsx';

/** The community's catalogue fields this form lays out itself; any other field of the catalogue is added by catalogueInputs. */
export const COMMUNITY_DRAWN_BY_HAND: ReadonlySet<string> = new Set([
  'name',
  'placeName',
  'status',
  'languages',
  'siteType',
  'employer',
  'needs',
  'vulnerabilities',
  'contactLanguage',
  'notes',
]);

export interface CaptureFormProps {
  pin: Position | null;
  onPin: (position: Position) => void;
  memberId: string;
  existing: Community | null;
  onSave: (community: Community) => Promise<void>;
  onCancel: () => void;
}

const bands = ['children', 'adults', 'elderly'] as const;

export function CaptureForm({ pin, onPin, memberId, existing, onSave, onCancel }: CaptureFormProps) {
  const [problems, setProblems] = useState<{ path: string; message: string }[] | string | null>(null);
  const [busy, setBusy] = useState(false);
  const location = pin ?? existing?.location ?? null;
  const phoneCountry = usePhoneCountry(location);

  async function onSubmit(event: Event) {
    event.preventDefault();
    if (!location) return setProblems(t('capture.noPin'));
    const formElement = event.target as HTMLFormElement;
    const built = buildCommunity(formValues(formElement), existing, {
      id: newId(),
      memberId,
      at: new Date().toISOString(),
      ...(pin ? { location: pin } : {}),
      phoneCountry: phoneCountry.country,
    });
    if (!built.ok) return setProblems(built.issues);
    setBusy(true);
    setProblems(null);
    try {
      await onSave(built.body);
      if (!existing) formElement.reset();
    } catch (reason) {
      setProblems((reason as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const contact = existing?.contact;
  return (
    <form class="card capture" onSubmit={onSubmit} data-testid="capture-form" key={existing?.id ?? 'new'}>
      <h2>{existing ? t('community.edit') : t('capture.title')}</h2>
      <PositionPicker position={location} hint={t('capture.hint')} onPosition={onPin} />
      {existing && <p class="hint">{t('community.moveHint')}</p>}
      <Problems issues={problems} />
      <label>
        {t('capture.siteName')}
        <input name="name" required maxLength={200} defaultValue={existing?.name} />
      </label>
      <label>
        {t('community.placeName')}
        <input name="placeName" maxLength={200} defaultValue={existing?.placeName} />
      </label>
      <Choice name="status" label={t('capture.status')} options={statuses} prefix="status" value={existing?.status} />
      <label>
        {t('capture.headcount')}
        <input
          name="headcount"
          type="number"
          inputMode="numeric"
          min={0}
          required
          defaultValue={existing ? String(existing.headcount.total) : undefined}
        />
      </label>
      <details open={Boolean(existing?.headcount.female || existing?.headcount.male)}>
        <summary>{t('community.breakdown')}</summary>
        <table class="breakdown">
          <thead>
            <tr>
              <th />
              <th scope="col">{t('sex.female')}</th>
              <th scope="col">{t('sex.male')}</th>
            </tr>
          </thead>
          <tbody>
            {bands.map((band) => (
              <tr key={band}>
                <th scope="row">{t(`band.${band}`)}</th>
                {(['female', 'male'] as const).map((sex) => (
                  <td key={sex}>
                    <input
                      name={`${sex}.${band}`}
                      type="number"
                      inputMode="numeric"
                      min={0}
                      aria-label={`${t(`sex.${sex}`)} ${t(`band.${band}`)}`}
                      defaultValue={existing?.headcount[sex] ? String(existing.headcount[sex]![band]) : undefined}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <label>
        {t('capture.nationalities')}
        <input
          name="nationalities"
          required
          placeholder="NP 40, IN 12"
          defaultValue={existing ? formatNationalities(existing.nationalities) : undefined}
        />
        <small class="hint">{t('community.nationalitiesHint')}</small>
      </label>
      <label>
        {t('community.languages')}
        <input name="languages" placeholder="ne, hi, bn" defaultValue={existing?.languages.join(', ')} />
      </label>
      <Choice name="siteType" label={t('capture.siteType')} options={siteTypes} prefix="site" value={existing?.site.type} />
      <label>
        {t('community.employer')}
        <input name="employer" maxLength={200} defaultValue={existing?.site.employer} />
      </label>
      <Checks name="needs" legend={t('capture.needs')} options={needs} prefix="need" checked={existing?.needs ?? []} />
      <Checks
        name="vulnerabilities"
        legend={t('community.vulnerabilities')}
        options={vulnerabilities}
        prefix="vulnerability"
        checked={existing?.vulnerabilities ?? []}
      />
      <label>
        {t('capture.contactName')}
        <input name="contactName" maxLength={200} defaultValue={contact?.name} />
      </label>
      <PhoneField name="contactPhone" label={t('capture.contactPhone')} stored={contact?.phone} country={phoneCountry.country} />
      <PhoneCountrySelect phoneCountry={phoneCountry} />
      <label>
        {t('community.contactLanguage')}
        <input name="contactLanguage" maxLength={35} defaultValue={contact?.language} />
      </label>
      <label class="check">
        <input type="checkbox" name="contactConsentsToMessages" value="yes" defaultChecked={contact?.consentsToMessages ?? false} />{' '}
        {t('community.contactConsentsToMessages')}
      </label>
      {catalogueInputs(communityFields, COMMUNITY_DRAWN_BY_HAND).map((field) => (
        <FieldInput key={field.name} field={field} existing={existing} />
      ))}
      <NotesAndSave notes={existing?.notes} busy={busy} onCancel={onCancel} />
    </form>
  );
}

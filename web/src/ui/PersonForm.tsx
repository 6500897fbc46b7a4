// The person form: identity, documents (a confiscated passport is common), family contact, needs,
// whereabouts and consent. The schema refuses own-consulate consent for a refugee; the form says
// why and switches that box off before the person gets there.
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { buildPerson } from '#model/forms';
import { documentStates, needs, statuses, vulnerabilities, type Community, type Person, type Position } from '#model/records';
import { PositionPicker } from '../position/PositionPicker.tsx';
import { newId } from '../session.ts';
import { catalogueInputs, Checks, Choice, FieldInput, formValues, NotesAndSave, Problems } from './fields.tsx';
import { personFields } from '#model/fields';
import { PhoneCountrySelect, PhoneField, usePhoneCountry } from './phone.tsx';

export interface PersonFormProps {
  memberId: string;
  existing: Person | null;
  communityId: string | null;
  communities: Community[];
  pin: Position | null;
  onPin: (position: Position) => void;
  onSave: (person: Person) => Promise<void>;
  onCancel: () => void;
}

const sexes = ['female', 'male', 'other', 'unknown'] as const;

/** The person's catalogue fields this form lays out itself; any other field of the catalogue is added by catalogueInputs. */
export const PERSON_DRAWN_BY_HAND: ReadonlySet<string> = new Set([
  'name',
  'nameLatin',
  'sex',
  'dateOfBirth',
  'nationality',
  'languages',
  'status',
  'needs',
  'vulnerabilities',
  'notes',
]);
const consentKinds = ['ownConsulate', 'hostAuthorities', 'humanitarian', 'messages'] as const;

export function PersonForm({ memberId, existing, communityId, communities, pin, onPin, onSave, onCancel }: PersonFormProps) {
  const [problems, setProblems] = useState<{ path: string; message: string }[] | string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refugee, setRefugee] = useState(existing?.refugee ?? false);
  const linked = existing?.communityId ?? communityId ?? '';
  const nearby = communities.length > 300 ? communities.filter((community) => community.id === linked) : communities;
  // The community chosen in the form places the person when nothing else does: its country reads their phones.
  const [chosenCommunity, setChosenCommunity] = useState(linked);
  const phoneCountry = usePhoneCountry(pin ?? existing?.location ?? communities.find((item) => item.id === chosenCommunity)?.location);

  async function onSubmit(event: Event) {
    event.preventDefault();
    const community = communities.find((item) => item.id === linked);
    const location = pin ?? (!existing && community ? community.location : undefined);
    const built = buildPerson(formValues(event.target as HTMLFormElement), existing, {
      id: newId(),
      memberId,
      at: new Date().toISOString(),
      ...(location ? { location } : {}),
      phoneCountry: phoneCountry.country,
    });
    if (!built.ok) return setProblems(built.issues);
    setBusy(true);
    setProblems(null);
    try {
      await onSave(built.body);
    } catch (reason) {
      setProblems((reason as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card capture" onSubmit={onSubmit} data-testid="person-form" key={existing?.id ?? 'new-person'}>
      <h2>{existing ? t('person.edit') : t('person.title')}</h2>
      <Problems issues={problems} />
      <label>
        {t('person.name')}
        <input name="name" required maxLength={200} defaultValue={existing?.name} />
      </label>
      <label>
        {t('person.nameLatin')}
        <input name="nameLatin" dir="ltr" maxLength={200} defaultValue={existing?.nameLatin} />
      </label>
      <Choice name="sex" label={t('person.sex')} options={sexes} prefix="sex" value={existing?.sex ?? 'unknown'} />
      <label>
        {t('person.dateOfBirth')}
        <input name="dateOfBirth" type="date" defaultValue={existing?.dateOfBirth} />
      </label>
      <label>
        {t('person.nationality')}
        <input name="nationality" required maxLength={2} pattern="[A-Za-z]{2}" dir="ltr" defaultValue={existing?.nationality} />
      </label>
      <label class="check">
        <input
          type="checkbox"
          name="refugee"
          value="yes"
          checked={refugee}
          onChange={(event) => setRefugee((event.target as HTMLInputElement).checked)}
        />{' '}
        {t('person.refugee')}
      </label>
      <PhoneField name="phone" label={t('person.phone')} stored={existing?.phone} country={phoneCountry.country} />
      <PhoneCountrySelect phoneCountry={phoneCountry} />
      <label>
        {t('person.languages')}
        <input name="languages" defaultValue={existing?.languages.join(', ')} />
      </label>
      <label>
        {t('person.community')}
        <select name="communityId" onChange={(event) => setChosenCommunity((event.target as HTMLSelectElement).value)}>
          <option value="">{t('person.noCommunity')}</option>
          {nearby.map((community) => (
            <option value={community.id} key={community.id} selected={community.id === linked}>
              {community.name}
            </option>
          ))}
        </select>
      </label>
      <PositionPicker position={pin ?? existing?.location ?? null} hint={t('person.positionHint')} onPosition={onPin} />
      <Choice name="status" label={t('capture.status')} options={statuses} prefix="status" value={existing?.status} />
      <label>
        {t('community.placeName')}
        <input name="placeName" maxLength={200} />
      </label>
      <fieldset>
        <legend>{t('person.passport')}</legend>
        <Choice
          name="passport"
          label={t('person.passport')}
          options={documentStates}
          prefix="document"
          value={existing?.documents.passport ?? 'held'}
        />
        <label>
          {t('person.passportHeldBy')}
          <input name="passportHeldBy" maxLength={200} defaultValue={existing?.documents.passportHeldBy} />
        </label>
        <label>
          {t('person.otherDocuments')}
          <input name="otherDocuments" defaultValue={existing?.documents.other.join(', ')} />
        </label>
      </fieldset>
      <fieldset>
        <legend>{t('person.family')}</legend>
        <label>
          {t('person.familyName')}
          <input name="familyName" maxLength={200} defaultValue={existing?.familyContact?.name} />
        </label>
        <PhoneField
          name="familyPhone"
          label={t('person.familyPhone')}
          stored={existing?.familyContact?.phone}
          country={phoneCountry.country}
        />
        <label>
          {t('person.familyRelation')}
          <input name="familyRelation" maxLength={60} defaultValue={existing?.familyContact?.relation} />
        </label>
      </fieldset>
      <Checks name="needs" legend={t('capture.needs')} options={needs} prefix="need" checked={existing?.needs ?? []} />
      <Checks
        name="vulnerabilities"
        legend={t('community.vulnerabilities')}
        options={vulnerabilities}
        prefix="vulnerability"
        checked={existing?.vulnerabilities ?? []}
      />
      <fieldset data-testid="consent">
        <legend>{t('person.consent')}</legend>
        <p class="hint">{t('person.consent.ask')}</p>
        {consentKinds.map((kind) => {
          const blocked = kind === 'ownConsulate' && refugee;
          return (
            <label class="check" key={kind}>
              <input
                type="checkbox"
                name="consent"
                value={kind}
                disabled={blocked}
                {...(blocked ? { checked: false } : { defaultChecked: existing?.consent[kind] ?? false })}
              />{' '}
              {t(`person.consent.${kind}`)}
            </label>
          );
        })}
        {refugee && (
          <p class="warning" data-testid="refugee-rule">
            {t('person.consent.refugeeRule')}
          </p>
        )}
      </fieldset>
      {catalogueInputs(personFields, PERSON_DRAWN_BY_HAND).map((field) => (
        <FieldInput key={field.name} field={field} existing={existing} />
      ))}
      <NotesAndSave notes={existing?.notes} busy={busy} onCancel={onCancel} />
    </form>
  );
}

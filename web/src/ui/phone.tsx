// The phone fields of the record forms, and the country a number typed without "+" is read in
// (decision 0802): the country of the record's place on the map, else the one chosen here, which
// the device remembers. Each field says, as the person types, the international form the number
// will have, or why it cannot have one; what was typed is always what the field keeps.
import { useEffect, useRef, useState } from 'preact/hooks';
import { phoneCountries, readPhone } from '#model/phone';
import { countryName, t } from '../i18n/index.ts';
import { countryAt, loadCountryShapes } from '../map/country.ts';
import { loadPhoneCountry, savePhoneCountry } from '../store/settings.ts';

type Place = { lon: number; lat: number } | null | undefined;

export interface PhoneCountry {
  /** The country national numbers are read in, or null when none is known yet. */
  country: string | null;
  /** The country of the place, when the map gives one. */
  placeCountry: string | null;
  choose: (code: string) => void;
}

/** The country for the phones of a record at `place`: one chosen in this form, else the place's, else the device's. */
export function usePhoneCountry(place: Place): PhoneCountry {
  const [placeCountry, setPlaceCountry] = useState<string | null>(null);
  const [remembered, setRemembered] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const lon = place?.lon;
  const lat = place?.lat;
  useEffect(() => {
    let current = true;
    if (lon === undefined || lat === undefined) setPlaceCountry(null);
    else
      loadCountryShapes()
        .then((shapes) => current && setPlaceCountry(countryAt(shapes, { lon, lat })))
        // Without the shapes (a failed load), the chosen country still works.
        .catch(() => current && setPlaceCountry(null));
    return () => {
      current = false;
    };
  }, [lon, lat]);
  useEffect(() => {
    loadPhoneCountry()
      .then(setRemembered)
      .catch(() => setRemembered(null));
  }, []);
  const choose = (code: string) => {
    setChosen(code);
    if (code) void savePhoneCountry(code);
  };
  return { country: (chosen ?? placeCountry ?? remembered) || null, placeCountry, choose };
}

export function PhoneCountrySelect({ phoneCountry }: { phoneCountry: PhoneCountry }) {
  const { country, placeCountry, choose } = phoneCountry;
  const codes = [...phoneCountries()].sort((a, b) => countryName(a).localeCompare(countryName(b)));
  return (
    <label>
      {t('phone.country')}
      <select value={country ?? ''} onChange={(event) => choose((event.target as HTMLSelectElement).value)} data-testid="phone-country">
        <option value="">{t('phone.country.none')}</option>
        {codes.map((code) => (
          <option value={code} key={code}>
            {countryName(code)}
          </option>
        ))}
      </select>
      {placeCountry !== null && country === placeCountry && <small class="hint">{t('phone.country.fromPlace')}</small>}
    </label>
  );
}

/** A phone input that says what will become of the number; `stored` is the record's value, shown as it is. */
export function PhoneField({
  name,
  label,
  stored,
  country,
}: {
  name: string;
  label: string;
  stored: string | undefined;
  country: string | null;
}) {
  const [typed, setTyped] = useState(stored ?? '');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // A form reset after a save puts the stored value back in the field: so does the note under it.
    const form = input.current?.form;
    const reset = () => setTyped(stored ?? '');
    form?.addEventListener('reset', reset);
    return () => form?.removeEventListener('reset', reset);
  }, [stored]);
  return (
    <label>
      {label}
      <input
        ref={input}
        name={name}
        type="tel"
        dir="ltr"
        maxLength={40}
        defaultValue={stored}
        onInput={(event) => setTyped((event.target as HTMLInputElement).value)}
      />
      <PhoneReadingNote typed={typed} country={country} testId={`${name}-reading`} />
    </label>
  );
}

/**
 * For screens that read stored numbers of many records (the relay's links and file, the manifest):
 * the country of a place, else the device's chosen one. Null until the country shapes are loaded.
 */
export function usePhoneCountryOf(): ((place: Place) => string | null) | null {
  const [phoneCountryOf, setPhoneCountryOf] = useState<((place: Place) => string | null) | null>(null);
  useEffect(() => {
    let current = true;
    void Promise.all([loadCountryShapes().catch(() => null), loadPhoneCountry().catch(() => null)]).then(([shapes, remembered]) => {
      if (current) setPhoneCountryOf(() => (place: Place) => (shapes ? countryAt(shapes, place) : null) ?? remembered);
    });
    return () => {
      current = false;
    };
  }, []);
  return phoneCountryOf;
}

/** Under a phone input: the international form the number will have, or why it cannot have one. */
export function PhoneReadingNote({ typed, country, testId }: { typed: string; country: string | null; testId: string }) {
  const reading = typed.trim() === '' ? null : readPhone(typed, country);
  if (!reading) return null;
  return (
    <small class={reading.ok ? 'hint' : 'warning'} aria-live="polite" data-testid={testId}>
      {reading.ok ? (
        <>
          {t('phone.international')} <bdi dir="ltr">{reading.international}</bdi>
          {reading.country && <> ({countryName(reading.country)})</>}
        </>
      ) : (
        `${t(`phone.problem.${reading.problem}`)} ${t('phone.keptAsTyped')}`
      )}
    </small>
  );
}

// A plan contact's phone number (decision 0802): kept in E.164 when it can be read in the country of
// the plan's area (else the device's chosen country), otherwise as typed, with the reason shown under
// it. The number is read when the field is left, so typing is never rewritten under the fingers.
import { bbox } from '@turf/turf';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { phoneToStore } from '#model/phone';
import type { AreaGeometry } from '#plans';
import { PhoneReadingNote, usePhoneCountry } from '../ui/phone.tsx';

/** The middle of an area's bounding box: where its phone numbers are read. */
export function areaCentre(area: AreaGeometry): { lon: number; lat: number } {
  const [west, south, east, north] = bbox(area);
  return { lon: (west + east) / 2, lat: (south + north) / 2 };
}

export function ContactPhone({
  phone,
  area,
  label,
  testId,
  onPhone,
}: {
  phone: string | undefined;
  area: AreaGeometry;
  label: string;
  testId: string;
  onPhone: (phone: string | undefined) => void;
}) {
  const centre = useMemo(() => areaCentre(area), [area]);
  const { country } = usePhoneCountry(centre);
  const [typed, setTyped] = useState(phone ?? '');
  useEffect(() => setTyped(phone ?? ''), [phone]);
  return (
    <>
      <input
        aria-label={label}
        type="tel"
        dir="ltr"
        maxLength={40}
        value={typed}
        onInput={(event) => {
          const text = (event.currentTarget as HTMLInputElement).value;
          setTyped(text);
          // The draft holds every keystroke (nothing typed is lost whatever happens next)...
          onPhone(text === '' ? undefined : text);
        }}
        // ...and the number is read when the field is left.
        onChange={() => onPhone(phoneToStore(typed, undefined, country).value)}
      />
      <PhoneReadingNote typed={typed} country={country} testId={testId} />
    </>
  );
}

// Who a relayed message goes to, chosen on the CSO officer's device from decrypted records (pure:
// no I/O). A person is a recipient when they are inside the area, of a requested nationality, have
// a phone, agreed to receive messages from the CSO (consent.messages), and one of their languages
// has a message; a community's contact person likewise (contact.consentsToMessages). For a
// consulate's relay, refugees are left out whatever they agreed to: the state they fled must not
// reach them through us. Each phone gets one message. Decision 0702.
// Phones are read into E.164 in the country of the person's or community's place (decision 0802):
// a stored national number then still reaches its owner, and one that cannot be read is left out
// and counted, never turned into a link or a file line that reaches nobody.
import type { RelayRequest } from '#crypto/protocol';
import { e164Of, type E164 } from '#model/phone';
import type { Community, Person, Position } from '#model/records';
import { inArea, personPosition, prepareArea, type Area } from '../activation/select.ts';

export type RelayOrigin = 'own' | 'consulate' | 'city';

export interface RelayScope {
  area: Area;
  nationalities: readonly string[];
  messages: RelayRequest['messages'];
  origin: RelayOrigin;
}

export interface Recipient {
  recordId: string;
  kind: 'person' | 'contact';
  phone: E164;
  /** The language of the message they get (one of the request's). */
  language: string;
}

export interface RecipientSelection {
  recipients: Recipient[];
  /** Left out, and why (counts only: these never leave the device either). */
  skipped: { noConsent: number; noPhone: number; unreadablePhone: number; noLanguage: number; refugee: number; duplicate: number };
}

/** The country a national phone number of someone at `place` is read in, or null. */
export type PhoneCountryOf = (place: Position | undefined) => string | null;

const primary = (tag: string) => tag.toLowerCase().split(/[-_]/)[0]!;

/** The first of someone's languages that has a message ("ar" matches "ar-LY"), or null. */
export function messageLanguage(languages: readonly (string | undefined)[], messages: RelayScope['messages']): string | null {
  for (const language of languages) {
    if (!language) continue;
    const found =
      messages.find((message) => message.language.toLowerCase() === language.toLowerCase()) ??
      messages.find((message) => primary(message.language) === primary(language));
    if (found) return found.language;
  }
  return null;
}

export function selectRecipients(
  records: { communities: readonly Community[]; persons: readonly Person[] },
  scope: RelayScope,
  phoneCountryOf: PhoneCountryOf,
): RecipientSelection {
  const area = prepareArea(scope.area);
  const wanted = new Set(scope.nationalities);
  const skipped = { noConsent: 0, noPhone: 0, unreadablePhone: 0, noLanguage: 0, refugee: 0, duplicate: 0 };
  const recipients: Recipient[] = [];
  const phones = new Set<string>();
  const add = (
    recordId: string,
    kind: Recipient['kind'],
    stored: string | undefined,
    place: Position | undefined,
    consented: boolean,
    languages: readonly (string | undefined)[],
  ) => {
    if (!consented) return void skipped.noConsent++;
    if (!stored?.trim()) return void skipped.noPhone++;
    const phone = e164Of(stored, phoneCountryOf(place));
    if (!phone) return void skipped.unreadablePhone++;
    const language = messageLanguage(languages, scope.messages);
    if (!language) return void skipped.noLanguage++;
    if (phones.has(phone)) return void skipped.duplicate++;
    phones.add(phone);
    recipients.push({ recordId, kind, phone, language });
  };
  const communities = new Map(records.communities.map((community) => [community.id, community]));
  for (const person of records.persons) {
    const place = personPosition(person, communities);
    if (!wanted.has(person.nationality) || !inArea(area, place)) continue;
    if (scope.origin === 'consulate' && person.refugee) {
      skipped.refugee++;
      continue;
    }
    add(person.id, 'person', person.phone, place, person.consent?.messages === true, person.languages);
  }
  for (const community of records.communities) {
    if (!community.contact || !community.nationalities.some((item) => wanted.has(item.code)) || !inArea(area, community.location)) continue;
    add(community.id, 'contact', community.contact.phone, community.location, community.contact.consentsToMessages === true, [
      community.contact.language,
      ...community.languages,
    ]);
  }
  return { recipients, skipped };
}

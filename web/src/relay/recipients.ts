// Who a relayed message goes to, chosen on the CSO officer's device from decrypted records (pure:
// no I/O). A person is a recipient when they are inside the area, of a requested nationality, have
// a phone, agreed to receive messages from the CSO (consent.messages), and one of their languages
// has a message; a community's contact person likewise (contact.consentsToMessages). For a
// consulate's relay, refugees are left out whatever they agreed to: the state they fled must not
// reach them through us. Phones are normalised and each gets one message. Decision 0702.
import type { RelayRequest } from '#crypto/protocol';
import { inArea, personPosition, prepareArea, type Area } from '../activation/select.ts';
import type { Community, Person } from '#model/records';

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
  /** "+" and digits only. */
  phone: string;
  /** The language of the message they get (one of the request's). */
  language: string;
}

export interface RecipientSelection {
  recipients: Recipient[];
  /** Left out, and why (counts only: these never leave the device either). */
  skipped: { noConsent: number; noPhone: number; noLanguage: number; refugee: number; duplicate: number };
}

/** "+218 91-000 0000" → "+218910000000"; "00218…" → "+218…"; null when it cannot be a phone number (7–15 digits). */
export function normalisePhone(phone: string | undefined): string | null {
  if (!phone) return null;
  let digits = phone.replace(/[^\d+]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  const plus = digits.startsWith('+');
  digits = digits.replace(/\+/g, '');
  if (digits.length < 7 || digits.length > 15) return null;
  return plus ? `+${digits}` : digits;
}

const primary = (tag: string) => tag.toLowerCase().split(/[-_]/)[0]!;

/** The first of someone's languages that has a message ("ar" matches "ar-LY"), or null. */
export function messageLanguage(languages: readonly (string | undefined)[], messages: RelayScope['messages']): string | null {
  for (const language of languages) {
    if (!language) continue;
    const found = messages.find((message) => message.language.toLowerCase() === language.toLowerCase()) ?? messages.find((message) => primary(message.language) === primary(language));
    if (found) return found.language;
  }
  return null;
}

export function selectRecipients(records: { communities: readonly Community[]; persons: readonly Person[] }, scope: RelayScope): RecipientSelection {
  const area = prepareArea(scope.area);
  const wanted = new Set(scope.nationalities);
  const skipped = { noConsent: 0, noPhone: 0, noLanguage: 0, refugee: 0, duplicate: 0 };
  const recipients: Recipient[] = [];
  const phones = new Set<string>();
  const add = (recordId: string, kind: Recipient['kind'], rawPhone: string | undefined, consented: boolean, languages: readonly (string | undefined)[]) => {
    if (!consented) return void skipped.noConsent++;
    const phone = normalisePhone(rawPhone);
    if (!phone) return void skipped.noPhone++;
    const language = messageLanguage(languages, scope.messages);
    if (!language) return void skipped.noLanguage++;
    if (phones.has(phone)) return void skipped.duplicate++;
    phones.add(phone);
    recipients.push({ recordId, kind, phone, language });
  };
  const communities = new Map(records.communities.map((community) => [community.id, community]));
  for (const person of records.persons) {
    if (!wanted.has(person.nationality) || !inArea(area, personPosition(person, communities))) continue;
    if (scope.origin === 'consulate' && person.refugee) {
      skipped.refugee++;
      continue;
    }
    add(person.id, 'person', person.phone, person.consent?.messages === true, person.languages);
  }
  for (const community of records.communities) {
    if (!community.contact || !community.nationalities.some((item) => wanted.has(item.code)) || !inArea(area, community.location)) continue;
    add(community.id, 'contact', community.contact.phone, community.contact.consentsToMessages === true, [community.contact.language, ...community.languages]);
  }
  return { recipients, skipped };
}

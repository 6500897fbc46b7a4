import { describe, expect, it } from 'vitest';
import { community, dernaArea, person } from '../activation/test-records.ts';
import { messageLanguage, selectRecipients, type RelayScope } from './recipients.ts';

const messages = [
  { language: 'ar', text: 'تصل سفينة إلى ميناء درنة غدًا الساعة 8 صباحًا.' },
  { language: 'ne', text: 'डेर्ना बन्दरगाहमा भोलि बिहान ८ बजे जहाज आउँछ।' },
  { language: 'en', text: 'A ship will be at Derna port tomorrow at 08:00.' },
];
const scope: RelayScope = { area: dernaArea, nationalities: ['NP', 'SD'], messages, origin: 'own' };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const port = community(id(1), 22.64, 32.76, ['NP'], {
  contact: { name: 'Hari', phone: '+218 91 111 1111', language: 'ne', consentsToMessages: true },
});
const quiet = community(id(2), 22.7, 32.7, ['NP'], { contact: { name: 'Kiran', phone: '+218 91 333 3333', language: 'ne' } });
const benghazi = community(id(3), 20.07, 32.12, ['NP'], { contact: { name: 'Far', phone: '+218 91 444 4444', consentsToMessages: true } });
const yes = { messages: true };
const persons = [
  person(id(11), port.id, 'NP', yes, { phone: '092-222 2222', languages: ['ne', 'en'] }), // national form, read in Libya
  person(id(12), port.id, 'SD', yes, { phone: '00218 92 555 5555', languages: ['ar-SD'] }),
  person(id(13), port.id, 'NP', {}, { phone: '+218 92 666 6666' }), // no consent to messages
  person(id(14), port.id, 'NP', yes, { phone: undefined as never }), // no phone
  person(id(15), port.id, 'NP', yes, { phone: '+218 92 777 7777', languages: ['hi'] }), // no message in Hindi
  person(id(16), port.id, 'SD', { ...yes, ownConsulate: false }, { refugee: true, phone: '+218 92 888 8888', languages: ['ar'] }),
  person(id(17), benghazi.id, 'NP', yes, { phone: '+218 92 999 9999' }), // outside the area
  person(id(18), port.id, 'BD', yes, { phone: '+218 92 000 1111', languages: ['en'] }), // nationality not asked
  person(id(19), port.id, 'NP', yes, { phone: '+218911111111' }), // the contact person's own record: one message only
  person(id(20), port.id, 'NP', yes, { phone: '092 222' }), // too short to be a number: no link, no file line
];
const records = { communities: [port, quiet, benghazi], persons };
// The country of a place, as the app finds it from the basemap's shapes: every place here is in Libya.
const inLibya = () => 'LY';

describe('relay recipients', () => {
  it("reads stored phones in E.164 in the country of the person's place, and leaves out what cannot be read", () => {
    const { recipients, skipped } = selectRecipients(records, scope, inLibya);
    expect(recipients.find((recipient) => recipient.recordId === id(11))?.phone).toBe('+218922222222');
    expect(recipients.map((recipient) => recipient.recordId)).not.toContain(id(20));
    expect(skipped.unreadablePhone).toBe(1);
    // Without a country for the place, a national number cannot be read: no link rather than a broken one.
    const unplaced = selectRecipients(records, scope, () => null);
    expect(unplaced.recipients.map((recipient) => recipient.recordId)).not.toContain(id(11));
    expect(unplaced.skipped.unreadablePhone).toBe(2);
    expect(unplaced.recipients.every((recipient) => /^\+[1-9]\d{6,14}$/.test(recipient.phone))).toBe(true);
  });

  it("matches a message in the person's first language that has one, by primary subtag", () => {
    expect(messageLanguage(['hi', 'ar-SD'], messages)).toBe('ar');
    expect(messageLanguage(['en', 'ne'], messages)).toBe('en');
    expect(messageLanguage(['fr'], messages)).toBeNull();
  });

  it('picks people and contacts who agreed, with a phone and a language, inside the area and of the nationalities asked', () => {
    const { recipients, skipped } = selectRecipients(records, scope, inLibya);
    expect(recipients).toEqual([
      { recordId: id(11), kind: 'person', phone: '+218922222222', language: 'ne' },
      { recordId: id(12), kind: 'person', phone: '+218925555555', language: 'ar' },
      { recordId: id(16), kind: 'person', phone: '+218928888888', language: 'ar' },
      { recordId: id(19), kind: 'person', phone: '+218911111111', language: 'ne' },
    ]);
    expect(skipped).toEqual({ noConsent: 2, noPhone: 1, unreadablePhone: 1, noLanguage: 1, refugee: 0, duplicate: 1 });
  });

  it("leaves refugees out of a consulate's relay, whatever they agreed to", () => {
    const { recipients, skipped } = selectRecipients(records, { ...scope, origin: 'consulate' }, inLibya);
    expect(recipients.map((recipient) => recipient.recordId)).not.toContain(id(16));
    expect(skipped.refugee).toBe(1);
  });
});

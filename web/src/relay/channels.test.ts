import { describe, expect, it } from 'vitest';
import { e164Of } from '#model/phone';
import { bulkSmsCsv, reportOf, smsLink, whatsAppLink } from './channels.ts';
import { localTestGateway, sendThroughGateway, type SmsGateway } from './gateway.ts';
import type { Recipient } from './recipients.ts';

const messages = [
  { language: 'ar', text: 'توجهوا إلى نقطة التجمع، "الميناء"، الآن.' },
  { language: 'en', text: 'Go to the assembly point, "the port", now.\nBring documents.' },
];
const phone = (text: string) => e164Of(text)!;
const recipients: Recipient[] = [
  { recordId: 'a', kind: 'person', phone: phone('+218922222222'), language: 'ar' },
  { recordId: 'b', kind: 'contact', phone: phone('+218911111111'), language: 'en' },
  { recordId: 'c', kind: 'person', phone: phone('+218933333333'), language: 'ar' },
];

describe('relay channels', () => {
  it('writes the bulk-SMS file as phone,message in each recipient’s language, quoted as RFC 4180 says', () => {
    const csv = bulkSmsCsv(recipients, messages);
    expect(csv).toBe(
      'phone,message\r\n' +
        '+218922222222,"توجهوا إلى نقطة التجمع، ""الميناء""، الآن."\r\n' +
        '+218911111111,"Go to the assembly point, ""the port"", now.\nBring documents."\r\n' +
        '+218933333333,"توجهوا إلى نقطة التجمع، ""الميناء""، الآن."\r\n',
    );
  });

  it('makes sms: and WhatsApp links with the message encoded', () => {
    expect(smsLink(phone('+218922222222'), 'A ship at 08:00 & bring ID')).toBe(
      'sms:+218922222222?body=A%20ship%20at%2008%3A00%20%26%20bring%20ID',
    );
    const link = new URL(whatsAppLink(phone('+218922222222'), messages[0]!.text));
    expect(link.origin + link.pathname).toBe('https://wa.me/218922222222');
    expect(link.searchParams.get('text')).toBe(messages[0]!.text);
  });

  it('reports counts by language, nothing else', () => {
    expect(
      reportOf([
        { language: 'ar', ok: true },
        { language: 'ar', ok: false },
        { language: 'en', ok: true },
      ]),
    ).toEqual({
      sent: 2,
      failed: 1,
      byLanguage: { ar: { sent: 1, failed: 1 }, en: { sent: 1, failed: 0 } },
    });
  });
});

describe('SMS gateway', () => {
  it('sends each recipient their message through the local test gateway and counts the failures', async () => {
    const gateway = localTestGateway({ failing: ['+218933333333'] });
    const report = await sendThroughGateway(gateway, recipients, messages);
    expect(report).toEqual({ sent: 2, failed: 1, byLanguage: { ar: { sent: 1, failed: 1 }, en: { sent: 1, failed: 0 } } });
    expect(gateway.outbox).toEqual([
      { to: '+218922222222', text: messages[0]!.text },
      { to: '+218911111111', text: messages[1]!.text },
    ]);
    expect(JSON.stringify(report)).not.toContain('218');
  });

  it('counts a gateway that throws as a failure, not a crash', async () => {
    const broken: SmsGateway = { name: 'broken', send: async () => Promise.reject(new Error('provider down')) };
    expect(await sendThroughGateway(broken, recipients, messages)).toMatchObject({ sent: 0, failed: 3 });
  });
});

// The ways a relayed message leaves the officer's device, none through our server: a CSV for the
// CSO's own bulk-SMS provider, per-contact sms: and WhatsApp links opened on the officer's phone,
// and the counts-only report the requester sees. Pure functions.
import type { RelayRequest } from '#crypto/protocol';
import { toCsv } from '#model/csv';
import type { E164 } from '#model/phone';
import type { Recipient } from './recipients.ts';

export type Messages = RelayRequest['messages'];

export function textFor(language: string, messages: Messages): string {
  const message = messages.find((item) => item.language === language);
  if (!message) throw new Error(`no message in ${language}`);
  return message.text;
}

/**
 * "phone,message" lines, CRLF, UTF-8 (Arabic and Devanagari as they are; a bulk-SMS provider sends
 * them as UCS-2), through the project's one CSV writer. Phones are left as they are by its formula
 * guard; a message that starts like a formula (a partner wrote it, the CSO's officer opens this file
 * in a spreadsheet) gets the guard's leading apostrophe like any other cell.
 */
export function bulkSmsCsv(recipients: readonly Recipient[], messages: Messages): string {
  return toCsv([['phone', 'message'], ...recipients.map((recipient) => [recipient.phone, textFor(recipient.language, messages)])]);
}

// Links take E.164 only (the type says so): a number that could not be read gets no link at all
// rather than one that opens an empty chat or a message to nobody.

/** RFC 5724 sms: URI with the message as its body. */
export function smsLink(phone: E164, text: string): string {
  return `sms:${phone}?body=${encodeURIComponent(text)}`;
}

/** WhatsApp's click-to-chat link: the number in international form, digits only. */
export function whatsAppLink(phone: E164, text: string): string {
  return `https://wa.me/${phone.replace(/\D/g, '')}?text=${encodeURIComponent(text)}`;
}

export interface Counts {
  sent: number;
  failed: number;
}
export interface RelayReport extends Counts {
  byLanguage: Record<string, Counts>;
}

/** What the requester is told: how many went out and failed, by language. Never who. */
export function reportOf(outcomes: readonly { language: string; ok: boolean }[]): RelayReport {
  const report: RelayReport = { sent: 0, failed: 0, byLanguage: {} };
  for (const outcome of outcomes) {
    const counts = (report.byLanguage[outcome.language] ??= { sent: 0, failed: 0 });
    const key = outcome.ok ? 'sent' : 'failed';
    counts[key]++;
    report[key]++;
  }
  return report;
}

// The ways a relayed message leaves the officer's device, none through our server: a CSV for the
// CSO's own bulk-SMS provider, per-contact sms: and WhatsApp links opened on the officer's phone,
// and the counts-only report the requester sees. Pure functions.
import type { RelayRequest } from '#crypto/protocol';
import type { Recipient } from './recipients.ts';

export type Messages = RelayRequest['messages'];

export function textFor(language: string, messages: Messages): string {
  const message = messages.find((item) => item.language === language);
  if (!message) throw new Error(`no message in ${language}`);
  return message.text;
}

/** RFC 4180 field: quoted when it holds a comma, a quote, a line break or edge spaces. */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * "phone,message" lines, CRLF, UTF-8 (Arabic and Devanagari as they are; a bulk-SMS provider sends
 * them as UCS-2). Phones stay "+digits": no spreadsheet formula guard is added, because a provider
 * reads the file as text and a leading quote would break the number.
 */
export function bulkSmsCsv(recipients: readonly Recipient[], messages: Messages): string {
  const lines = ['phone,message', ...recipients.map((recipient) => `${csvField(recipient.phone)},${csvField(textFor(recipient.language, messages))}`)];
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 5724 sms: URI with the message as its body. */
export function smsLink(phone: string, text: string): string {
  return `sms:${phone}?body=${encodeURIComponent(text)}`;
}

/** WhatsApp's click-to-chat link: the number in international form, digits only. */
export function whatsAppLink(phone: string, text: string): string {
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

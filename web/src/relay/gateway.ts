// An SMS gateway behind a small interface, so a CSO can plug in the provider it already uses
// (decision 0702 describes an adapter). The gateway runs from the officer's device: phones and
// texts go from there to the CSO's provider, never to our server. `localTestGateway` is an
// in-process implementation for tests and demos: it sends nothing, it keeps an outbox.
import { reportOf, textFor, type Messages, type RelayReport } from './channels.ts';
import type { Recipient } from './recipients.ts';

export interface OutgoingSms {
  to: string;
  text: string;
}

export type SendOutcome = { ok: true; id: string } | { ok: false; error: string };

export interface SmsGateway {
  /** Shown to the officer ("Local test gateway", "Our bulk SMS account"). */
  readonly name: string;
  send(message: OutgoingSms): Promise<SendOutcome>;
}

export interface LocalTestGateway extends SmsGateway {
  readonly outbox: OutgoingSms[];
}

/** Accepts every message except those to `failing` numbers; keeps what it accepted in `outbox`. */
export function localTestGateway(options: { failing?: readonly string[] } = {}): LocalTestGateway {
  const outbox: OutgoingSms[] = [];
  const failing = new Set(options.failing ?? []);
  return {
    name: 'Local test gateway',
    outbox,
    async send(message) {
      if (failing.has(message.to)) return { ok: false, error: 'the test gateway was told to refuse this number' };
      outbox.push(message);
      return { ok: true, id: `local-${outbox.length}` };
    },
  };
}

/**
 * Sends each recipient their message, a few at a time, and returns the counts-only report. A
 * gateway that throws counts as a failure for that message; nothing is retried silently.
 */
export async function sendThroughGateway(
  gateway: SmsGateway,
  recipients: readonly Recipient[],
  messages: Messages,
  concurrency = 4,
): Promise<RelayReport> {
  const outcomes: { language: string; ok: boolean }[] = new Array(recipients.length);
  let next = 0;
  async function worker() {
    while (next < recipients.length) {
      const index = next++;
      const recipient = recipients[index]!;
      let ok = false;
      try {
        ok = (await gateway.send({ to: recipient.phone, text: textFor(recipient.language, messages) })).ok;
      } catch {
        ok = false;
      }
      outcomes[index] = { language: recipient.language, ok };
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, recipients.length)) }, worker));
  return reportOf(outcomes);
}

/**
 * A real provider: the "SMS Gateway for Android" app (capcom6/android-sms-gateway, Apache-2.0) in its
 * local-server mode, on a phone of the CSO's own, reached on the office network. One POST per message
 * to `<baseUrl>/message` with HTTP Basic credentials set in the app; the app answers the message's id
 * and state. The credentials are passed in by the officer for this sending only and kept nowhere.
 * Using it from the web client needs the phone's origin in the page's connect-src (decision 0702).
 */
export function androidSmsGateway(options: { baseUrl: string; username: string; password: string; fetch?: typeof fetch }): SmsGateway {
  const send = options.fetch ?? fetch;
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/message`;
  const authorization = `Basic ${btoa(unescape(encodeURIComponent(`${options.username}:${options.password}`)))}`;
  return {
    name: `SMS gateway phone (${new URL(endpoint).host})`,
    async send(message) {
      let response: Response;
      try {
        response = await send(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ phoneNumbers: [message.to], textMessage: { text: message.text } }),
        });
      } catch (error) {
        return { ok: false, error: `the gateway phone could not be reached (${(error as Error).message})` };
      }
      if (response.status === 401) return { ok: false, error: 'the gateway phone refused the user name or password' };
      if (!response.ok) return { ok: false, error: `the gateway phone answered ${response.status}` };
      const body = (await response.json().catch(() => ({}))) as { id?: unknown; state?: unknown };
      if (body.state === 'Failed') return { ok: false, error: 'the gateway phone could not send this message' };
      return typeof body.id === 'string'
        ? { ok: true, id: body.id }
        : { ok: false, error: 'the gateway phone answered without a message id' };
    },
  };
}

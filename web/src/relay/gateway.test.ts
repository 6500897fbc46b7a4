// The SMS Gateway for Android adapter against a local HTTP server that answers as the app's local
// server does: Basic credentials, one message per POST /message, an id and a state back.
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e164Of } from '#model/phone';
import { androidSmsGateway, sendThroughGateway } from './gateway.ts';
import type { Recipient } from './recipients.ts';
import { serveOnLoopback, type LocalServer } from '../../../tests/support/local-server.ts';

const received: { authorization: string | undefined; body: unknown }[] = [];
let server: LocalServer;
let baseUrl: string;

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => resolve(text));
  });

beforeAll(async () => {
  server = await serveOnLoopback(async (request, response) => {
    const body = JSON.parse(await readBody(request)) as { phoneNumbers: string[]; textMessage: { text: string } };
    received.push({ authorization: request.headers.authorization, body });
    if (request.headers.authorization !== `Basic ${Buffer.from('sms:phone-pass').toString('base64')}`)
      return void response.writeHead(401).end();
    if (request.method !== 'POST' || request.url !== '/message') return void response.writeHead(404).end();
    const phone = body.phoneNumbers[0]!;
    if (phone.endsWith('500')) return void response.writeHead(500).end();
    response
      .writeHead(202, { 'content-type': 'application/json' })
      .end(JSON.stringify({ id: `m-${received.length}`, state: phone.endsWith('999') ? 'Failed' : 'Pending', phoneNumber: phone }));
  });
  baseUrl = `${server.origin}/`;
});

afterAll(() => server?.close());

describe('SMS Gateway for Android adapter', () => {
  it('posts one message per recipient with the app credentials and counts what the phone accepted', async () => {
    const gateway = androidSmsGateway({ baseUrl, username: 'sms', password: 'phone-pass' });
    expect(gateway.name).toMatch(/^SMS gateway phone \(127\.0\.0\.1:\d+\)$/);
    const recipients: Recipient[] = [
      { recordId: 'a', kind: 'person', phone: e164Of('+218911111111')!, language: 'ar' },
      { recordId: 'b', kind: 'contact', phone: e164Of('+218922222222')!, language: 'en' },
      { recordId: 'c', kind: 'person', phone: e164Of('+218933333999')!, language: 'ar' },
      { recordId: 'd', kind: 'person', phone: e164Of('+218944444500')!, language: 'en' },
    ];
    const messages = [
      { language: 'ar', text: 'ابتعدوا عن الوادي' },
      { language: 'en', text: 'Keep away from the wadi' },
    ];
    received.length = 0;
    const report = await sendThroughGateway(gateway, recipients, messages, 2);
    expect(report).toEqual({ sent: 2, failed: 2, byLanguage: { ar: { sent: 1, failed: 1 }, en: { sent: 1, failed: 1 } } });
    expect(received.map((entry) => entry.body).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual(
      [
        { phoneNumbers: ['+218911111111'], textMessage: { text: 'ابتعدوا عن الوادي' } },
        { phoneNumbers: ['+218922222222'], textMessage: { text: 'Keep away from the wadi' } },
        { phoneNumbers: ['+218933333999'], textMessage: { text: 'ابتعدوا عن الوادي' } },
        { phoneNumbers: ['+218944444500'], textMessage: { text: 'Keep away from the wadi' } },
      ].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    );
  });

  it('says why a message did not go: wrong credentials, an unreachable phone', async () => {
    const wrong = androidSmsGateway({ baseUrl, username: 'sms', password: 'not-it' });
    expect(await wrong.send({ to: '+218911111111', text: 'x' })).toEqual({
      ok: false,
      error: 'the gateway phone refused the user name or password',
    });
    const gone = androidSmsGateway({ baseUrl: 'http://127.0.0.1:9', username: 'sms', password: 'phone-pass' });
    const outcome = await gone.send({ to: '+218911111111', text: 'x' });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toMatch(/could not be reached/);
  });
});

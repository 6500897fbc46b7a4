// The demo `npm start` loads, loaded into the test Worker the same way: every organisation and
// member exists, the CSO's records open with an officer's org key, requesters are listed.
import { describe, expect, inject, it } from 'vitest';
import { createRecordOpener, fromBase64, openAuthoredRecord, openJson, unlockMemberKeys } from '#crypto';
import { statementAuthors, verifyRosterChain, type SignedRoster } from '#crypto/roster';
import { demoRecords } from '#fixtures';
import { seedDemo, DEMO_PASSPHRASE } from '../../scripts/lib/seed-demo.ts';
import { client, fetchRoster, signIn } from '../../scripts/lib/actors.ts';
import { countRows, queryRows } from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');

describe('the demo scenario', () => {
  it('loads through the real API, and the CSO officer can open every record', async () => {
    const accounts = await seedDemo(baseUrl, persistTo, 'libya-2011', () => undefined);
    const kinds = new Set(accounts.map((account) => account.orgName));
    expect(kinds.size).toBeGreaterThanOrEqual(3);
    const officer = accounts.find((account) => account.role === 'officer' && account.actor.orgKeys && /Solidarity/.test(account.orgName))!;
    expect(officer).toBeDefined();

    const api = client(baseUrl, await signIn(officer.actor)).api;
    const page = await (await api.orgs[':orgId'].records.$get({ param: { orgId: officer.actor.orgId }, query: { limit: '5000' } })).json();
    if (!('records' in page)) throw new Error(JSON.stringify(page));
    const expected = demoRecords('libya-2011');
    expect(page.records).toHaveLength(expected.communities.length + expected.persons.length);
    const opener = createRecordOpener(officer.actor.orgId, officer.actor.orgKeys!);
    const names = new Set(
      page.records.map((record) => (openJson(opener, record.id, record.version, fromBase64(record.envelope)) as { name: string }).name),
    );
    expect(names.has(expected.persons[0]!.name)).toBe(true);
    // Every demo record carries an author header naming a member of the verified statement (decision
    // 0605): an officer's device would otherwise set them all aside.
    const statement = await verifyRosterChain((await fetchRoster(officer.actor)) as SignedRoster[]);
    const authors = new Set([...statement.versions].flatMap((version) => [...statementAuthors(version.statement).keys()]));
    const byAuthor = page.records.map(
      (record) => openAuthoredRecord(opener, record.id, record.version, fromBase64(record.envelope)).author,
    );
    expect(byAuthor.every((author) => author !== null && authors.has(author))).toBe(true);
    expect(statement.head.fieldDevices?.length).toBeGreaterThan(0);

    const related = await (await api.orgs[':orgId'].relationships.$get({ param: { orgId: officer.actor.orgId } })).json();
    expect('orgs' in related && related.orgs.map((org) => org.kind).sort()).toEqual(expect.arrayContaining(['city', 'consulate']));

    // Demo key files open with the published passphrase and hold the member's keys.
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM demo_accounts')).toBe(accounts.length);
    const [row] = queryRows<{ locked_keys: string }>(
      persistTo,
      'SELECT locked_keys FROM demo_accounts WHERE member_id = ?',
      officer.actor.memberId,
    );
    expect(row).toBeDefined();
    const keys = unlockMemberKeys(JSON.parse(row!.locked_keys), DEMO_PASSPHRASE);
    expect(Buffer.from(keys.signPublicKey).equals(Buffer.from(officer.actor.keys.signPublicKey))).toBe(true);
  });
});

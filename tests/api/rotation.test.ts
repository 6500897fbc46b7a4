// Issue 14, finding 5: the org key could not be rotated. The UI told officers to rotate it and
// crypto/src/rotation.ts existed, but no route replaced the org key or the stored key slots: a
// removed officer's device, or a leaked officer key, read everything the server held then and later
// (on a0314ac POST /rotation and PUT /records/slots were 404). Here (decision 0606): the rotation is
// a statement k officers sign, with the new key pair wrapped to each remaining officer; officers'
// devices re-wrap every stored key slot in all-or-nothing batches, bodies untouched; afterwards the
// removed officer's key opens nothing the server holds, old or new.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createRecordOpener,
  fromBase64,
  generateOrgKeys,
  openRecord,
  openSealingSession,
  sealJson,
  toBase64,
  unwrapOrgKey,
  type OrgKeys,
} from '#crypto';
import {
  admitFieldDevice,
  client,
  cosignWaiting,
  createOrg,
  fetchRoster,
  grantOrgKey,
  invite,
  revokeAndRotate,
  revokeMember,
  rewrapStored,
  rotateOrgKey,
  signIn,
  signNextRoster,
  type Actor,
} from '../../scripts/lib/actors.ts';
import { queryRows } from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');

let officerA: Actor;
let officerB: Actor;
let officerC: Actor;
let phone: Actor;
let oldKeys: OrgKeys;
let newKeys: OrgKeys;
const sealedBefore = new Map<string, string>();

const api = async (actor: Actor) => client(baseUrl, await signIn(actor)).api.orgs[':orgId'];
const status = async () =>
  (await (await (await api(officerA)).rotation.$get({ param: { orgId: officerA.orgId } })).json()) as {
    orgPublicKey: string;
    keyId: string | null;
    staleEnvelopes: number;
  };
const stored = () =>
  queryRows<{ seq: number; record_id: string; version: number; envelope: string }>(
    persistTo,
    'SELECT seq, record_id, version, hex(envelope) AS envelope FROM records WHERE org_id = ? ORDER BY seq',
    officerA.orgId,
  ).map((row) => ({ ...row, bytes: Uint8Array.from(Buffer.from(row.envelope, 'hex')) }));
const opens = (keys: OrgKeys, row: { record_id: string; version: number; bytes: Uint8Array }) => {
  try {
    openRecord(createRecordOpener(officerA.orgId, keys), row.record_id, row.version, row.bytes);
    return true;
  } catch {
    return false;
  }
};

async function push(device: Actor, count: number, prefix: string) {
  const sealing = openSealingSession(device.orgId, device.orgPublicKey, device.keys);
  const records = Array.from({ length: count }, (_, index) => {
    const id = `${prefix}-${String(index).padStart(12, '0')}`;
    return { id, version: 1, envelope: toBase64(sealJson(sealing, id, 1, { id, name: `${prefix} ${index}` })) };
  });
  const response = await (await api(device)).records.$post({ param: { orgId: device.orgId }, json: { records } });
  expect(response.status).toBe(200);
  return records;
}

beforeAll(async () => {
  officerA = await createOrg(baseUrl, { name: 'Rotating CSO', approvalsRequired: 2, founderLabel: 'Officer A' });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
  officerC = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer C'), [officerB]);
  phone = await admitFieldDevice(officerA, await invite(officerA, 'field', 'Phone'));
  oldKeys = officerA.orgKeys!;
  for (const record of await push(phone, 30, 'before')) sealedBefore.set(record.id, record.envelope);
  // C's phone is seized: C is removed (k = 2 sign), and the key C held must stop opening anything.
  expect((await revokeMember(officerA, officerC.memberId, [officerB])).status).toBe(200);
});

describe('org key rotation', () => {
  it('needs k officers: one officer alone only proposes it, and nothing changes until another co-signs', async () => {
    const { response, orgKeys } = await rotateOrgKey(officerA);
    expect(response.status).toBe(202);
    expect((await status()).orgPublicKey).toBe(toBase64(oldKeys.publicKey));
    expect((await cosignWaiting(officerB)).status).toBe(200);
    newKeys = orgKeys;
    const after = await status();
    expect(after.orgPublicKey).toBe(toBase64(newKeys.publicKey));
    expect(after.staleEnvelopes).toBe(30);
    const head = (await fetchRoster(officerA)).at(-1)!.statement;
    expect(head.orgPublicKey).toBe(toBase64(newKeys.publicKey));
    expect(head.officers.map((officer) => officer.memberId).sort()).toEqual([officerA.memberId, officerB.memberId].sort());
    // Each remaining officer's wrapped copy opens to the new key; the removed officer has none.
    for (const officer of [officerA, officerB]) {
      const [row] = queryRows<{ wrapped_org_key: string }>(persistTo, 'SELECT wrapped_org_key FROM members WHERE id = ?', officer.memberId);
      expect(unwrapOrgKey(row!.wrapped_org_key, officerA.orgId, officer.keys, newKeys.publicKey).publicKey).toEqual(newKeys.publicKey);
    }
    expect(
      queryRows<{ wrapped_org_key: string | null }>(persistTo, 'SELECT wrapped_org_key FROM members WHERE id = ?', officerC.memberId)[0]!
        .wrapped_org_key,
    ).toBeNull();
  });

  it('refuses new key slots that touch a body, or name another key, and changes nothing', async () => {
    const [first] = stored();
    const rewrapped = (await import('#crypto')).rewrapRecords(createRecordOpener(officerA.orgId, oldKeys), newKeys.publicKey, [
      { recordId: first!.record_id, version: first!.version, envelope: first!.bytes },
    ])[0]!;
    const slots = (envelope: Uint8Array) => ({
      param: { orgId: officerA.orgId },
      json: { records: [{ seq: first!.seq, envelope: toBase64(envelope) }] },
    });
    const bodyChanged = rewrapped.slice();
    bodyChanged[bodyChanged.length - 1]! ^= 1;
    const answer = await (await api(officerA)).records.slots.$put(slots(bodyChanged));
    expect(answer.status).toBe(400);
    expect(await answer.text()).toMatch(/never touches the body/);
    const elsewhere = (await import('#crypto')).rewrapRecords(createRecordOpener(officerA.orgId, oldKeys), generateOrgKeys().publicKey, [
      { recordId: first!.record_id, version: first!.version, envelope: first!.bytes },
    ])[0]!;
    const wrongKey = await (await api(officerA)).records.slots.$put(slots(elsewhere));
    expect(wrongKey.status).toBe(400);
    expect(await wrongKey.text()).toMatch(/not the organisation's current key/);
    // A field device may not re-wrap anything.
    expect((await (await api(phone)).records.slots.$put(slots(rewrapped))).status).toBe(403);
    expect(stored()[0]!.envelope).toBe(first!.envelope);
    expect((await status()).staleEnvelopes).toBe(30);
  });

  it("re-wraps every stored key slot, bodies untouched; then the removed officer's key opens nothing the server holds", async () => {
    const result = await rewrapStored(officerA, oldKeys, newKeys, 7); // 5 batches
    expect(result.remaining).toBe(0);
    expect((await status()).staleEnvelopes).toBe(0);
    const rows = stored();
    expect(rows).toHaveLength(30);
    for (const row of rows) {
      const before = fromBase64(sealedBefore.get(row.record_id)!);
      expect(Buffer.from(row.bytes.subarray(114)).equals(Buffer.from(before.subarray(114)))).toBe(true); // the body, byte for byte
      expect(opens(newKeys, row)).toBe(true);
      expect(opens(oldKeys, row)).toBe(false);
    }
    // Again: nothing left to do, nothing changes.
    expect((await rewrapStored(officerA, oldKeys, newKeys)).replaced).toBe(0);
    // A capture after the rotation is sealed to the new key (the phone follows the statement); the old key opens none of it.
    const moved = { ...phone, orgPublicKey: newKeys.publicKey };
    await push(moved, 3, 'after');
    const after = stored().filter((row) => row.record_id.startsWith('after'));
    expect(after).toHaveLength(3);
    expect(after.every((row) => opens(newKeys, row) && !opens(oldKeys, row))).toBe(true);
  });
});

// The rotation above came after C's removal: between the two, the phone sealed to a key C's seized
// device holds. For a device lost or seized the app makes them one change (decision 0606): the
// statement that removes the officer names the new key. On 0aea709 DELETE /members took no
// `rotation` (400, unrecognised key) and a removal could only leave the old key in force.
describe('removing an officer whose device was seized, with the new key in the same statement', () => {
  let officerD: Actor;
  let keysBefore: OrgKeys;

  beforeAll(async () => {
    officerD = await grantOrgKey(
      { ...officerA, orgKeys: newKeys, orgPublicKey: newKeys.publicKey },
      await invite(officerA, 'officer', 'Officer D'),
      [officerB],
    );
    keysBefore = newKeys;
  });

  it('refuses a rotation that still gives the removed officer the new key, or names the current key, and changes nothing', async () => {
    const proposer = { ...officerA, orgKeys: keysBefore, orgPublicKey: keysBefore.publicKey };
    const { roster, rotation } = await revokeAndRotate(proposer, officerD.memberId).then(async (first) => {
      // (That first attempt waits for a co-signature: withdraw it, and build bad variants from it.)
      expect(first.response.status).toBe(202);
      const withdrawn = await (await api(officerA)).roster.proposal.$delete({ param: { orgId: officerA.orgId }, query: {} });
      expect(withdrawn.status).toBe(200);
      return first;
    });
    const remove = async (json: Record<string, unknown>) =>
      (await api(officerA)).members[':memberId'].$delete({
        param: { orgId: officerA.orgId, memberId: officerD.memberId },
        json: json as never,
      });
    const withD = {
      ...rotation,
      wrappedOrgKeys: [
        ...rotation.wrappedOrgKeys,
        { memberId: officerD.memberId, wrappedOrgKey: rotation.wrappedOrgKeys[0]!.wrappedOrgKey },
      ],
    };
    const tooMany = await remove({ roster, rotation: withD });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toMatch(/exactly the officers of the statement/);
    // A statement that removes D but keeps the current key, with a rotation attached.
    const keepsKey = await signNextRoster(proposer, (head) => ({
      officers: head.officers.filter((officer) => officer.memberId !== officerD.memberId),
    }));
    const sameKey = await remove({ roster: keepsKey, rotation });
    expect(sameKey.status).toBe(400);
    expect(await sameKey.text()).toMatch(/names a new org public key/);
    expect((await status()).orgPublicKey).toBe(toBase64(keysBefore.publicKey));
    expect(queryRows<{ status: string }>(persistTo, 'SELECT status FROM members WHERE id = ?', officerD.memberId)[0]!.status).toBe(
      'active',
    );
  });

  it('with k signatures the officer is out and the key is new in one step; the seized key opens nothing sealed after', async () => {
    const { response, orgKeys } = await revokeAndRotate(
      { ...officerA, orgKeys: keysBefore, orgPublicKey: keysBefore.publicKey },
      officerD.memberId,
    );
    expect(response.status).toBe(202);
    // Nothing happened on one signature: D is active, the key is the same.
    expect(queryRows<{ status: string }>(persistTo, 'SELECT status FROM members WHERE id = ?', officerD.memberId)[0]!.status).toBe(
      'active',
    );
    expect((await status()).orgPublicKey).toBe(toBase64(keysBefore.publicKey));
    expect((await cosignWaiting(officerB)).status).toBe(200);
    const head = (await fetchRoster(officerA)).at(-1)!.statement;
    expect(head.orgPublicKey).toBe(toBase64(orgKeys.publicKey));
    expect(head.officers.map((officer) => officer.memberId).sort()).toEqual([officerA.memberId, officerB.memberId].sort());
    expect((await status()).orgPublicKey).toBe(toBase64(orgKeys.publicKey));
    const rows = queryRows<{ id: string; status: string; wrapped_org_key: string | null }>(
      persistTo,
      'SELECT id, status, wrapped_org_key FROM members WHERE id IN (?, ?, ?)',
      officerA.memberId,
      officerB.memberId,
      officerD.memberId,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(officerD.memberId)).toMatchObject({ status: 'revoked', wrapped_org_key: null });
    for (const officer of [officerA, officerB])
      expect(unwrapOrgKey(byId.get(officer.memberId)!.wrapped_org_key!, officerA.orgId, officer.keys, orgKeys.publicKey).publicKey).toEqual(
        orgKeys.publicKey,
      );
    // The phone follows the statement: what it seals now does not open with the key D's device held.
    await push({ ...phone, orgPublicKey: orgKeys.publicKey }, 2, 'seized');
    const sealed = stored().filter((row) => row.record_id.startsWith('seized'));
    expect(sealed).toHaveLength(2);
    expect(sealed.every((row) => opens(orgKeys, row) && !opens(keysBefore, row))).toBe(true);
    expect((await rewrapStored(officerA, keysBefore, orgKeys)).remaining).toBe(0);
    expect(stored().filter((row) => opens(keysBefore, row))).toEqual([]);
  });
});

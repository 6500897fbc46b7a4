// Issue 14, finding 3, server half: field devices are listed in the organisation statement
// (decision 0605), so officers' devices know whose records to accept. One officer adds or removes a
// field device; the server checks the statement lists exactly the device's registered signing key
// and changes nothing else (a change of officers, k or the org key still needs k signatures). On
// ded9d52 the route did not exist (404) and statements could not name field devices.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { generateMemberKeys, toBase64 } from '#crypto';
import {
  admitFieldDevice,
  client,
  createOrg,
  fetchRoster,
  grantOrgKey,
  invite,
  revokeMember,
  signIn,
  signNextRoster,
  type Actor,
} from '../../scripts/lib/actors.ts';

const baseUrl = inject('workerUrl');

let officerA: Actor;
let officerB: Actor;

const head = async () => (await fetchRoster(officerA)).at(-1)!.statement;
const admit = async (officer: Actor, device: Actor, roster: Awaited<ReturnType<typeof signNextRoster>>) =>
  client(baseUrl, await signIn(officer)).api.orgs[':orgId'].members[':memberId'].statement.$put({
    param: { orgId: officer.orgId, memberId: device.memberId },
    json: { roster },
  });
const entry = (device: Actor) => ({ memberId: device.memberId, signPublicKey: toBase64(device.keys.signPublicKey) });

beforeAll(async () => {
  officerA = await createOrg(baseUrl, { name: 'Field devices CSO', approvalsRequired: 2, founderLabel: 'Officer A' });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B')); // k = 2, two officers
});

describe('field devices in the organisation statement', () => {
  it("one officer adds a field device under the key it registered; the statement's officers and k stay", async () => {
    const phone = await invite(officerA, 'field', 'Phone 1');
    const before = await head();
    await admitFieldDevice(officerA, phone);
    const after = await head();
    expect(after.version).toBe(before.version + 1);
    expect(after.fieldDevices).toEqual([entry(phone)]);
    expect(after.officers).toEqual(before.officers);
    expect(after.approvalsRequired).toBe(2);
    // Twice: refused, nothing appended.
    const again = await admit(
      officerA,
      phone,
      await signNextRoster(officerA, (current) => ({ fieldDevices: [...(current.fieldDevices ?? []), entry(phone)] })).catch(() =>
        signNextRoster(officerA, () => ({})),
      ),
    );
    expect([400, 409]).toContain(again.status);
    expect((await head()).version).toBe(after.version);
  });

  it('refuses a statement naming another key than the device registered, or changing anything else on the way', async () => {
    const phone = await invite(officerA, 'field', 'Phone 2');
    const version = (await head()).version;
    const otherKey = { memberId: phone.memberId, signPublicKey: toBase64(generateMemberKeys().signPublicKey) };
    const swapped = await admit(
      officerA,
      phone,
      await signNextRoster(officerA, (current) => ({ fieldDevices: [...(current.fieldDevices ?? []), otherKey] })),
    );
    expect(swapped.status).toBe(400);
    expect(await swapped.text()).toMatch(/field devices/);
    // k lowered to 1 alongside: the quorum is k again, and the route wants k unchanged anyway.
    const smuggled = await admit(
      officerA,
      phone,
      await signNextRoster(officerA, (current) => ({
        fieldDevices: [...(current.fieldDevices ?? []), entry(phone)],
        approvalsRequired: 1,
      })),
    );
    expect(smuggled.status).toBe(400);
    // An officer is not a field device.
    const officerRoute = await admit(
      officerA,
      officerB,
      await signNextRoster(officerA, (current) => ({ fieldDevices: [...(current.fieldDevices ?? []), entry(officerB)] })).catch(() =>
        signNextRoster(officerA, () => ({})),
      ),
    );
    expect(officerRoute.status).toBe(403);
    expect((await head()).version).toBe(version);
    // A change of k through the settings route must keep the field devices as they are.
    const dropped = await client(baseUrl, await signIn(officerA)).api.orgs[':orgId'].settings.$patch({
      param: { orgId: officerA.orgId },
      json: {
        approvalsRequired: 1,
        roster: await signNextRoster(officerA, () => ({ approvalsRequired: 1, fieldDevices: [] }), [officerB]),
      },
    });
    expect(dropped.status).toBe(400);
    expect(await dropped.text()).toMatch(/field devices/);
    expect((await head()).version).toBe(version);
  });

  it('removing a field device listed in the statement takes it out in a version one officer signs', async () => {
    const phone = await invite(officerA, 'field', 'Phone 3');
    await admitFieldDevice(officerA, phone);
    expect((await head()).fieldDevices?.map((device) => device.memberId)).toContain(phone.memberId);
    const bare = await client(baseUrl, await signIn(officerB)).api.orgs[':orgId'].members[':memberId'].$delete({
      param: { orgId: officerA.orgId, memberId: phone.memberId },
      json: {},
    });
    expect(bare.status).toBe(400);
    expect(await bare.text()).toMatch(/your signature alone is enough/);
    const removed = await revokeMember(officerB, phone.memberId);
    expect(removed.status).toBe(200);
    expect((await head()).fieldDevices?.map((device) => device.memberId) ?? []).not.toContain(phone.memberId);
  });
});

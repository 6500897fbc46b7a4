// What each statement change must say, and the refusals, without D1 (the routes that use these run
// on real workerd + D1 in tests/api/ and tests/d1/).
import { describe, expect, it } from 'vitest';
import { ROSTER_V2_PURPOSE, type RosterStatement } from '#crypto/roster';
import { ApiError } from '../errors.ts';
import {
  admitChange,
  checkNationalities,
  checkRemovalRotation,
  checkRotation,
  foundingRoster,
  grantChange,
  removalChange,
  removalOf,
  settingsChange,
} from './policy.ts';

const officer = (memberId: string) => ({ memberId, signPublicKey: `sign-${memberId}`, boxPublicKey: `box-${memberId}` });
const head: RosterStatement = {
  purpose: ROSTER_V2_PURPOSE,
  orgId: 'org',
  version: 3,
  previous: 'ab'.repeat(32),
  approvalsRequired: 2,
  officers: [officer('a'), officer('b')],
  orgPublicKey: 'org-key',
  fieldDevices: [{ memberId: 'f', signPublicKey: 'sign-f' }],
  retentionDays: 90,
};
const member = { label: 'New one', sign_public_key: 'sign-n', box_public_key: 'box-n' };
const roster = { signed: true };

/** The status, error code and message of what `run` throws (it must throw an ApiError). */
function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    return { status: apiError.status, code: apiError.code, message: apiError.message };
  }
  throw new Error('expected a refusal');
}

describe('founding an organisation', () => {
  it('names the founder alone, the org key and k, signed by the founder', () => {
    const expected = foundingRoster({
      publicKey: 'org-key',
      approvalsRequired: 2,
      founder: { id: 'a', signPublicKey: 'sign-a', boxPublicKey: 'box-a' },
    });
    expect(expected).toEqual({
      retentionDays: undefined,
      officers: [officer('a')],
      fieldDevices: [],
      approvalsRequired: 2,
      orgPublicKey: 'org-key',
      signerId: 'a',
      what: 'creating the organisation (version 1 names the founder alone and the org key)',
    });
  });

  it('needs a consulate to name the nationalities it serves, and nobody else', () => {
    expect(refusal(() => checkNationalities('consulate', []))).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(() => checkNationalities('consulate', ['SD'])).not.toThrow();
    expect(() => checkNationalities('cso', [])).not.toThrow();
    expect(() => checkNationalities('city', [])).not.toThrow();
  });
});

describe('rotation', () => {
  it('names a new key, wrapped for exactly the officers of the statement, once each', () => {
    expect(() => checkRotation('old', 'new', head.officers, 'body.wrappedOrgKeys', [{ memberId: 'b' }, { memberId: 'a' }])).not.toThrow();
    expect(
      refusal(() => checkRotation('old', 'old', head.officers, 'body.wrappedOrgKeys', [{ memberId: 'a' }, { memberId: 'b' }])),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^body\.roster: .*current key/),
    });
    const missing = refusal(() => checkRotation('old', 'new', head.officers, 'body.wrappedOrgKeys', [{ memberId: 'a' }]));
    expect(missing.message).toBe(
      'body.wrappedOrgKeys: must hold the new key for exactly the officers of the statement [a, b], once each; it names [a]',
    );
    expect(
      refusal(() => checkRotation('old', 'new', head.officers, 'f', [{ memberId: 'a' }, { memberId: 'a' }, { memberId: 'b' }])).code,
    ).toBe('invalid_request');
    expect(refusal(() => checkRotation('old', 'new', head.officers, 'f', [{ memberId: 'a' }, { memberId: 'f' }])).status).toBe(400);
  });
});

describe('giving the org key', () => {
  it('re-seals to an officer of the statement with no new version, and refuses one', () => {
    expect(grantChange(head, 'a', member, undefined)).toBeNull();
    expect(refusal(() => grantChange(head, 'a', member, roster)).message).toMatch(/^body\.roster: this officer is in the roster already/);
  });

  it('adds a new officer under their registered keys, with the version proposed', () => {
    expect(grantChange(head, 'n', member, roster)).toEqual({
      roster,
      change: { officers: [officer('a'), officer('b'), { memberId: 'n', signPublicKey: 'sign-n', boxPublicKey: 'box-n' }] },
    });
    expect(refusal(() => grantChange(head, 'n', member, undefined))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^body\.roster: /),
    });
  });
});

describe('adding a field device', () => {
  it('appends it under its signing key, once', () => {
    expect(admitChange(head, 'g', member)).toEqual({
      fieldDevices: [
        { memberId: 'f', signPublicKey: 'sign-f' },
        { memberId: 'g', signPublicKey: 'sign-n' },
      ],
    });
    expect(admitChange({ ...head, fieldDevices: undefined }, 'g', member)).toEqual({
      fieldDevices: [{ memberId: 'g', signPublicKey: 'sign-n' }],
    });
    expect(refusal(() => admitChange(head, 'f', member))).toMatchObject({ status: 409, code: 'conflict' });
  });
});

describe('removing a member', () => {
  it('places the member in the statement', () => {
    expect(removalOf(head, 'a')).toEqual({ remaining: [officer('b')], asOfficer: true, asFieldDevice: false });
    expect(removalOf(head, 'f')).toEqual({ remaining: head.officers, asOfficer: false, asFieldDevice: true });
    expect(removalOf(head, 'x')).toEqual({ remaining: head.officers, asOfficer: false, asFieldDevice: false });
    expect(removalOf(undefined, 'a')).toEqual({ remaining: [], asOfficer: false, asFieldDevice: false });
  });

  it('takes a new org key only with the removal of a listed officer and a version naming it', () => {
    expect(checkRemovalRotation(head, removalOf(head, 'a'), roster)).toBe(roster);
    for (const [statement, memberId, signed] of [
      [head, 'a', undefined],
      [head, 'f', roster],
      [head, 'x', roster],
      [undefined, 'a', roster],
    ] as const) {
      expect(refusal(() => checkRemovalRotation(statement, removalOf(statement, memberId), signed)).message).toMatch(/^body\.rotation: /);
    }
  });

  it('removes one in no statement with no new version, and refuses a version then', () => {
    expect(removalChange(head, 'x', removalOf(head, 'x'), undefined)).toBeNull();
    expect(removalChange(undefined, 'a', removalOf(undefined, 'a'), undefined)).toBeNull();
    expect(refusal(() => removalChange(head, 'x', removalOf(head, 'x'), roster)).message).toMatch(/not in the organisation statement/);
  });

  it('needs the next version without them for a listed officer or field device', () => {
    expect(removalChange(head, 'a', removalOf(head, 'a'), roster)).toEqual({
      head,
      roster,
      change: { officers: [officer('b')], fieldDevices: head.fieldDevices },
    });
    expect(removalChange(head, 'f', removalOf(head, 'f'), roster)).toEqual({
      head,
      roster,
      change: { officers: head.officers, fieldDevices: [] },
    });
    const officerWithout = refusal(() => removalChange(head, 'a', removalOf(head, 'a'), undefined));
    expect(officerWithout.message).toMatch(/^body\.roster: removing an officer listed/);
    expect(officerWithout.message).not.toMatch(/alone is enough/);
    expect(refusal(() => removalChange(head, 'f', removalOf(head, 'f'), undefined)).message).toMatch(
      /^body\.roster: removing a field device listed .*\(your signature alone is enough\)$/,
    );
  });

  it('never removes the last officer of the statement', () => {
    const alone = { ...head, officers: [officer('a')] };
    expect(refusal(() => removalChange(alone, 'a', removalOf(alone, 'a'), roster))).toMatchObject({ status: 409, code: 'conflict' });
  });
});

describe('settings', () => {
  it('changes nothing when the values are the head’s, and then takes no version', () => {
    expect(settingsChange(head, { approvalsRequired: 2 }, false)).toBeNull();
    expect(settingsChange(head, { retentionDays: 90, approvalsRequired: 2 }, false)).toBeNull();
    expect(refusal(() => settingsChange(head, { retentionDays: 90 }, true)).message).toMatch(/^body\.roster: nothing changes/);
  });

  it('changes k or the retention period, one at a time', () => {
    expect(settingsChange(head, { approvalsRequired: 1 }, true)).toEqual({
      action: { kind: 'approvals', approvalsRequired: 1 },
      what: 'changing k to 1',
      change: { approvalsRequired: 1 },
    });
    expect(settingsChange(head, { approvalsRequired: 2, retentionDays: 30 }, false)).toEqual({
      action: { kind: 'retention', retentionDays: 30 },
      what: 'keeping records 30 days',
      change: { retentionDays: 30 },
    });
    expect(refusal(() => settingsChange(head, { approvalsRequired: 1, retentionDays: 30 }, true))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^body: change k and the retention period one at a time/),
    });
  });
});

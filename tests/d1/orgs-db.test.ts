// The organisation query helpers (api/src/db/) on their own, against a real D1: migrations applied
// by wrangler, queries run by workerd (tests/support/d1.ts). The routes that use them are tested
// through the app in orgs-routes.test.ts and through a running Worker in tests/api/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimInvitation, findInvitation, insertInvitation } from '../../api/src/db/invitations.ts';
import {
  findMember,
  findOrg,
  findOrgKey,
  insertMemberStatement,
  insertOrgStatement,
  listMembers,
  listOrgsKnownTo,
  type OrgRow,
  signKeyTaken,
} from '../../api/src/db/orgs.ts';
import { countEnvelopesNotUnder, storeRecords } from '../../api/src/db/records.ts';
import {
  listRelatedOrgs,
  orgsRelated,
  relatedOrgToJson,
  removeRelationship,
  storedPartner,
  upsertRelationship,
} from '../../api/src/db/relationships.ts';
import { rosterHashAt, rosterHasHash, withdrawProposals } from '../../api/src/db/rosters.ts';
import { localD1, type LocalD1 } from '../support/d1.ts';

let d1: LocalD1;
let db: D1Database;
const createdAt = '2026-12-01T10:00:00.000Z';
let keySeed = 0;
/** A distinct 32-byte key, base64url: the helpers store keys, they do not check them. */
const key = () => Buffer.alloc(32, ++keySeed).toString('base64url');

async function addOrg(id: string, kind: OrgRow['kind'], name: string) {
  await insertOrgStatement(
    db,
    {
      id,
      kind,
      name,
      country: null,
      nationalities: JSON.stringify(kind === 'consulate' ? ['SD'] : []),
      public_key: key(),
      approvals_required: 1,
    },
    createdAt,
  ).run();
  const officer = `${id}-officer`;
  await insertMemberStatement(
    db,
    {
      id: officer,
      org_id: id,
      label: `Officer of ${name}`,
      role: 'officer',
      sign_public_key: key(),
      box_public_key: key(),
      wrapped_org_key: 'd3JhcHBlZA',
    },
    createdAt,
  ).run();
  return officer;
}

beforeAll(async () => {
  d1 = await localD1();
  db = d1.db;
  await addOrg('cso-a', 'cso', 'Aid A');
  await addOrg('cso-e', 'cso', 'Aid E');
  await addOrg('consulate-b', 'consulate', 'Consulate B');
  await addOrg('city-c', 'city', 'City C');
  await addOrg('consulate-d', 'consulate', 'Consulate D');
});
afterAll(async () => {
  await d1?.dispose();
});

describe('organisations and members', () => {
  it('reads back what was inserted, and finds a signing key already registered', async () => {
    const org = await findOrg(db, 'cso-a');
    expect(org).toMatchObject({ id: 'cso-a', kind: 'cso', name: 'Aid A', approvals_required: 1, created_at: createdAt });
    expect(await findOrg(db, 'nobody')).toBeNull();
    const member = await findMember(db, 'cso-a-officer');
    expect(member).toMatchObject({ org_id: 'cso-a', role: 'officer', status: 'active', key_binding: null });
    expect((await listMembers(db, 'cso-a')).map((row) => row.id)).toEqual(['cso-a-officer']);
    expect(await signKeyTaken(db, member!.sign_public_key)).toBe(true);
    expect(await signKeyTaken(db, key())).toBe(false);
  });

  it('gives the org key and its key id, and counts the envelopes sealed under another key', async () => {
    const before = await findOrgKey(db, 'cso-a');
    expect(before).toEqual({ public_key: (await findOrg(db, 'cso-a'))!.public_key, key_id: null });
    expect(await findOrgKey(db, 'nobody')).toBeNull();
    // An envelope's key id is its bytes 2 to 9 (crypto/FORMAT.md); the rest does not matter here.
    const envelope = (keyId: number) =>
      Buffer.concat([Buffer.from([1, 0]), Buffer.alloc(8, keyId), Buffer.alloc(16, 7)]).toString('base64url');
    await storeRecords(db, 'cso-a', 'cso-a-officer', [
      { id: 'r1', version: 1, envelope: envelope(0xaa) },
      { id: 'r2', version: 1, envelope: envelope(0xbb) },
      { id: 'r3', version: 1, envelope: envelope(0xbb) },
    ]);
    await db.prepare('UPDATE orgs SET key_id = ? WHERE id = ?').bind('BBBBBBBBBBBBBBBB', 'cso-a').run();
    expect((await findOrgKey(db, 'cso-a'))?.key_id).toBe('BBBBBBBBBBBBBBBB');
    expect(await countEnvelopesNotUnder(db, 'cso-a', 'BBBBBBBBBBBBBBBB')).toBe(1);
    expect(await countEnvelopesNotUnder(db, 'cso-a', 'AAAAAAAAAAAAAAAA')).toBe(2);
    expect(await countEnvelopesNotUnder(db, 'cso-e', 'AAAAAAAAAAAAAAAA')).toBe(0);
  });
});

describe('relationships', () => {
  const partner = (nationalities: string[]) =>
    JSON.stringify({ statement: { nationalities }, signerId: 'cso-a-officer', signature: 'c2ln' });

  it('lists a requester once, and listing it again replaces the partner statement but not who listed it first', async () => {
    await upsertRelationship(db, {
      csoOrgId: 'cso-a',
      requesterOrgId: 'consulate-b',
      createdBy: 'cso-a-officer',
      createdAt,
      partner: partner(['SD']),
    });
    await upsertRelationship(db, {
      csoOrgId: 'cso-a',
      requesterOrgId: 'consulate-b',
      createdBy: 'cso-a-officer',
      createdAt: '2026-12-02T00:00:00.000Z',
      partner: partner(['SD', 'ER']),
    });
    const rows = await db
      .prepare('SELECT created_at, partner FROM relationships WHERE cso_org_id = ?')
      .bind('cso-a')
      .all<{ created_at: string; partner: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.created_at).toBe(createdAt);
    expect(JSON.parse(rows.results[0]!.partner).statement.nationalities).toEqual(['SD', 'ER']);
  });

  it('answers the other side of each relationship, by name, from either side', async () => {
    await upsertRelationship(db, {
      csoOrgId: 'cso-a',
      requesterOrgId: 'city-c',
      createdBy: 'cso-a-officer',
      createdAt,
      partner: partner([]),
    });
    await upsertRelationship(db, {
      csoOrgId: 'cso-e',
      requesterOrgId: 'consulate-b',
      createdBy: 'cso-e-officer',
      createdAt,
      partner: partner(['SD']),
    });
    expect((await listRelatedOrgs(db, 'cso-a')).map((row) => row.id)).toEqual(['city-c', 'consulate-b']);
    const ofConsulate = await listRelatedOrgs(db, 'consulate-b');
    expect(ofConsulate.map((row) => row.id)).toEqual(['cso-a', 'cso-e']);
    const json = relatedOrgToJson(ofConsulate[0]!);
    expect(json).toMatchObject({ id: 'cso-a', kind: 'cso', nationalities: [], partner: { statement: { nationalities: ['SD', 'ER'] } } });
    expect(await listRelatedOrgs(db, 'consulate-d')).toEqual([]);
  });

  it('reads a stored partner statement, and answers null for none or an unreadable one', () => {
    expect(storedPartner(partner(['SD']))).toEqual({ statement: { nationalities: ['SD'] }, signerId: 'cso-a-officer', signature: 'c2ln' });
    expect(storedPartner(null)).toBeNull();
    expect(storedPartner('{not json')).toBeNull();
  });

  it('finds the organisations one knows: itself, its partners and the other partners of its CSOs, not others', async () => {
    const known = async (orgId: string) => (await listOrgsKnownTo(db, orgId)).map((row) => row.id);
    // By kind, then name.
    expect(await known('cso-a')).toEqual(['city-c', 'consulate-b', 'cso-a']);
    // The consulate sees the CSOs that work with it and their other partners (to share plans).
    expect(await known('consulate-b')).toEqual(['city-c', 'consulate-b', 'cso-a', 'cso-e']);
    expect(await known('consulate-d')).toEqual(['consulate-d']);
  });

  it('tells whether two organisations are tied, either way round', async () => {
    expect(await orgsRelated(db, 'cso-a', 'consulate-b')).toBe(true);
    expect(await orgsRelated(db, 'consulate-b', 'cso-a')).toBe(true);
    expect(await orgsRelated(db, 'cso-a', 'consulate-d')).toBe(false);
    expect(await orgsRelated(db, 'city-c', 'consulate-b')).toBe(false);
  });

  it('removes a relationship once', async () => {
    expect(await removeRelationship(db, 'cso-a', 'city-c')).toBe(true);
    expect(await removeRelationship(db, 'cso-a', 'city-c')).toBe(false);
    // Only the CSO side removes: the requester named first matches nothing.
    expect(await removeRelationship(db, 'consulate-b', 'cso-a')).toBe(false);
    expect(await orgsRelated(db, 'cso-a', 'city-c')).toBe(false);
    expect(await orgsRelated(db, 'cso-a', 'consulate-b')).toBe(true);
  });
});

describe('invitations', () => {
  const joining = (id: string) => ({ id, label: `Device ${id}`, signPublicKey: key(), boxPublicKey: key(), binding: null });

  it('stores the hash of a code with its role, and lets exactly one member claim it', async () => {
    await insertInvitation(db, {
      codeHash: 'hash-1',
      orgId: 'cso-a',
      role: 'field',
      createdBy: 'cso-a-officer',
      expiresAt: '2026-12-10T00:00:00.000Z',
    });
    const invitation = await findInvitation(db, 'hash-1');
    expect(invitation).toEqual({ org_id: 'cso-a', role: 'field', expires_at: '2026-12-10T00:00:00.000Z', used_by: null });
    expect(await findInvitation(db, 'hash-2')).toBeNull();

    const first = { ...joining('field-1'), binding: 'YmluZGluZw' };
    expect(await claimInvitation(db, 'hash-1', invitation!, first, createdAt)).toBe(true);
    expect(await findMember(db, 'field-1')).toMatchObject({
      org_id: 'cso-a',
      role: 'field',
      sign_public_key: first.signPublicKey,
      wrapped_org_key: null,
      key_binding: 'YmluZGluZw',
      status: 'active',
    });
    expect((await findInvitation(db, 'hash-1'))?.used_by).toBe('field-1');

    // A second device that read the invitation before it was used (a race) gets nothing, and is not inserted.
    expect(await claimInvitation(db, 'hash-1', invitation!, joining('field-2'), createdAt)).toBe(false);
    expect(await findMember(db, 'field-2')).toBeNull();
    expect((await findInvitation(db, 'hash-1'))?.used_by).toBe('field-1');
  });

  it('refuses an invitation for a role the schema does not know (the table checks it)', async () => {
    await expect(
      db
        .prepare('INSERT INTO invitations (code_hash, org_id, role, created_by, expires_at) VALUES (?, ?, ?, ?, ?)')
        .bind('hash-3', 'cso-a', 'admin', 'cso-a-officer', createdAt)
        .run(),
    ).rejects.toThrow(/CHECK constraint/);
  });
});

describe('statement versions and waiting proposals', () => {
  const hash = (n: number) => n.toString(16).padStart(64, '0');

  beforeAll(async () => {
    const version = (orgId: string, v: number) =>
      db
        .prepare(
          'INSERT INTO officer_rosters (org_id, version, statement, hash, signer_id, signature, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .bind(orgId, v, '{}', hash(v), `${orgId}-officer`, 'c2ln', createdAt);
    const proposal = (orgId: string, h: string, signer: string) =>
      db
        .prepare(
          'INSERT INTO roster_proposals (org_id, version, statement, hash, signer_id, signature, action, created_at) VALUES (?, 3, ?, ?, ?, ?, ?, ?)',
        )
        .bind(orgId, '{}', h, signer, 'c2ln', '{}', createdAt);
    await db.batch([
      version('consulate-b', 1),
      version('consulate-b', 2),
      proposal('cso-a', hash(31), 'cso-a-officer'),
      proposal('cso-a', hash(32), 'cso-a-officer'),
      proposal('cso-a', hash(33), 'other-officer'),
      proposal('cso-e', hash(34), 'cso-a-officer'),
    ]);
  });

  it('answers the hash of a version, and whether a hash is one of the versions', async () => {
    expect(await rosterHashAt(db, 'consulate-b', 2)).toBe(hash(2));
    expect(await rosterHashAt(db, 'consulate-b', 3)).toBeNull();
    expect(await rosterHashAt(db, 'cso-a', 1)).toBeNull();
    expect(await rosterHasHash(db, 'consulate-b', hash(1))).toBe(true);
    expect(await rosterHasHash(db, 'cso-a', hash(1))).toBe(false);
  });

  it("withdraws only the signer's own proposals of that organisation: by hash, then all", async () => {
    const waiting = async () =>
      (await db.prepare('SELECT hash FROM roster_proposals ORDER BY hash').all<{ hash: string }>()).results.map((row) => row.hash);
    expect(await withdrawProposals(db, 'cso-a', 'cso-a-officer', hash(33))).toBe(0);
    expect(await withdrawProposals(db, 'cso-a', 'cso-a-officer', hash(31))).toBe(1);
    expect(await waiting()).toEqual([hash(32), hash(33), hash(34)]);
    expect(await withdrawProposals(db, 'cso-a', 'cso-a-officer')).toBe(1);
    expect(await waiting()).toEqual([hash(33), hash(34)]);
    expect(await withdrawProposals(db, 'cso-a', 'cso-a-officer')).toBe(0);
  });
});

// Helpers for activation tests: requests, decisions, audit entries and releases made the way the
// clients make them (real libsodium), sent through the API's typed client.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { toBase64 } from '#crypto';
import type { ActivationRequest, DecisionKind } from '#crypto/activation';
import { requestHashSync, signRequest } from '#crypto/activation-sign';
import type { AuditEntry } from '#crypto/audit';
import { appendEntry } from '#crypto/audit-append';
import type { ReleasedRecord } from '#crypto/bundle';
import { client, signIn, type Actor } from '../../scripts/lib/actors.ts';
import {
  activationRequest,
  decisionOn,
  releaseBundle,
  releaseDownloaded,
  releaseUploaded,
  requestFiled,
  type AuditStep,
} from '../../web/src/protocol/activation.ts';

export const dernaArea: { type: 'Polygon'; coordinates: [number, number][][] } = {
  type: 'Polygon',
  coordinates: [
    [
      [22.45, 32.6],
      [22.8, 32.6],
      [22.8, 32.85],
      [22.45, 32.85],
      [22.45, 32.6],
    ],
  ],
};

export function buildRequest(requester: Actor, orgIds: string[], overrides: Partial<ActivationRequest> = {}): ActivationRequest {
  return {
    ...activationRequest({
      requester,
      orgPublicKey: toBase64(requester.orgPublicKey),
      orgIds,
      area: dernaArea,
      nationalities: ['NP'],
      fields: ['headcount', 'location', 'names'],
      purpose: 'Evacuation of Nepali workers stranded in Derna by sea from the port',
      expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      createdAt: new Date().toISOString(),
    }),
    ...overrides,
  };
}

export async function api(actor: Actor) {
  return client(actor.baseUrl, await signIn(actor)).api;
}

export async function auditHead(actor: Actor, hash: string): Promise<AuditEntry | null> {
  const response = await (await api(actor)).activations[':hash'].$get({ param: { hash } });
  const body = (await response.json()) as { audit?: { entries: AuditEntry[] } };
  return body.audit?.entries.at(-1) ?? null;
}

export function entry(actor: Actor, previous: AuditEntry | null, type: string, payload: Record<string, unknown>) {
  return appendEntry(previous, { at: new Date().toISOString(), type, payload }, actor.memberId, actor.keys);
}

/** An audit step of the protocol (web/src/protocol/activation.ts) signed onto `previous` by `actor`. */
const signed = (actor: Actor, previous: AuditEntry | null, step: AuditStep) => entry(actor, previous, step.type, step.payload);

export async function fileRequest(requester: Actor, request: ActivationRequest) {
  const hash = requestHashSync(request);
  const response = await (await api(requester)).activations.$post({
    json: {
      request: request as never,
      signature: signRequest(request, requester.keys),
      auditEntry: signed(requester, null, requestFiled(hash)) as never,
    },
  });
  return { hash, response };
}

export async function decide(officer: Actor, hash: string, decision: DecisionKind, signer: Actor = officer) {
  // Signed with `signer`'s keys in `officer`'s name: a test may forge one.
  const { signature, step } = decisionOn(hash, decision, { orgId: officer.orgId, memberId: officer.memberId, keys: signer.keys });
  const auditEntry = signed(officer, await auditHead(officer, hash), step);
  return (await api(officer)).activations[':hash'].decisions.$post({
    param: { hash },
    json: { orgId: officer.orgId, decision, signature, auditEntry: auditEntry as never },
  });
}

export function makeBundle(officer: Actor, request: ActivationRequest, hash: string, records: ReleasedRecord[], recipient: Uint8Array) {
  return releaseBundle(officer, { hash, fields: request.fields, expiresAt: request.expiresAt }, records, recipient);
}

/** Uploads a bundle; the release id is the bundle's own id, from its manifest. */
export async function uploadRelease(officer: Actor, hash: string, bundle: Uint8Array) {
  const { releaseId: bundleId, step } = await releaseUploaded(hash, officer.orgId, bundle);
  // The digest the client signs, checked against Node's own SHA-256 (not the client's code).
  if (step.payload.sha256 !== createHash('sha256').update(bundle).digest('hex')) throw new Error('release.uploaded names another digest');
  const auditEntry = signed(officer, await auditHead(officer, hash), step);
  const response = await (await api(officer)).activations[':hash'].releases.$post({
    param: { hash },
    json: { orgId: officer.orgId, bundle: toBase64(bundle), auditEntry: auditEntry as never },
  });
  return Object.assign(response, { bundleId });
}

export async function download(requester: Actor, hash: string, releaseId: string) {
  const auditEntry = signed(requester, await auditHead(requester, hash), releaseDownloaded(hash, releaseId));
  return (await api(requester)).activations[':hash'].releases[':releaseId'].download.$post({
    param: { hash, releaseId },
    json: { auditEntry: auditEntry as never },
  });
}

/** The Worker's D1 database file(s) on disk, for tampering and scanning in tests. */
export function d1Files(persistTo: string): string[] {
  const directory = path.join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  return readdirSync(directory)
    .filter((file) => file.endsWith('.sqlite'))
    .map((file) => path.join(directory, file));
}

/** The D1 file that holds the app's tables (miniflare may keep others beside it). */
function appDatabase(persistTo: string, readOnly: boolean) {
  for (const file of d1Files(persistTo)) {
    const database = new DatabaseSync(file, { readOnly });
    if (database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'orgs'").get()) return database;
    database.close();
  }
  throw new Error(`no D1 database with the app's tables under ${persistTo}`);
}

/** Runs SQL straight on the D1 file, as someone who seized the server would. */
export function tamper(persistTo: string, sql: string, ...parameters: (string | number)[]) {
  const database = appDatabase(persistTo, false);
  try {
    database.prepare(sql).run(...parameters);
  } finally {
    database.close();
  }
}

export function queryRows<Row>(persistTo: string, sql: string, ...parameters: (string | number)[]): Row[] {
  const database = appDatabase(persistTo, true);
  try {
    return database.prepare(sql).all(...parameters) as Row[];
  } finally {
    database.close();
  }
}

export function countRows(persistTo: string, sql: string, ...parameters: (string | number)[]): number {
  return Number(queryRows<{ count: number }>(persistTo, sql, ...parameters)[0]?.count ?? 0);
}

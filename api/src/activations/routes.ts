// Emergency activation (buffer.md, property 5): a requester's signed request, officers' signed
// approvals or vetoes, a release accepted only with k valid approvals and no veto, downloads by the
// requester, early revocation, expiry. Every step is an audit entry signed by its actor.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { decisionBytes, requestHash, verifyRequestSignature, type ActivationRequest } from '#crypto/activation';
import { verifyBundleManifest } from '#crypto/bundle-manifest';
import { fromBase64, toBase64 } from '#crypto/encoding';
import { verifyEd25519 } from '#crypto/webcrypto';
import { callerIdentity } from '../auth/caller.ts';
import { requireCaller } from '../auth/middleware.ts';
import { acceptEntry, chainOfRequest, chainWithVerdict } from '../audit/chain.ts';
import { serverKey } from '../audit/server-key.ts';
import {
  countDownload,
  fileRequest,
  findRelease,
  findRequest,
  listDecisions,
  listIncomingRequests,
  listOutgoingRequests,
  listReleases,
  listTargets,
  readChunks,
  recordDecision,
  releaseIdTaken,
  revokeRelease,
  type RequestRow,
  setTargetStatus,
  storeRelease,
} from '../db/activations.ts';
import { findOrg, officersOf } from '../db/orgs.ts';
import { rosterChain } from '../roster/store.ts';
import type { AppEnv, Caller } from '../env.ts';
import { ApiError, badRequest, conflict, forbidden, notFound, unauthenticated } from '../errors.ts';
import { errorResponses, jsonContent, tooLargeResponse, withErrors } from '../schemas.ts';
import { nowIso, sha256Hex } from '../util.ts';
import { jsonBody, validationHook } from '../validation.ts';
import { activationSchema, activationSummarySchema, downloadSchema } from './answers.ts';
import { expireDue } from './expiry.ts';
import { checkRequesterAsk } from './requester.ts';
import { auditOnlyBody, createActivationBody, decisionBody, hashParam, MAX_BUNDLE_BYTES, releaseBody, releaseParam } from './schemas.ts';
import { activeOfficerKeys, currentRosterVersion, evaluateTarget, parseRequest, releaseToJson, requestToJson } from './store.ts';

const MAX_EXPIRY_DAYS = 30;
const json = jsonContent;
const errors = errorResponses;

/** Expired releases and requests are deleted before anything else is read or written. */
const sweepExpired = createMiddleware<AppEnv>(async function sweepExpiredMiddleware(context, next) {
  await expireDue(context.env.DB, await serverKey(context.env.AUDIT_SIGNING_KEY));
  await next();
});

/** The request, if the caller's org is a party to it (the requester or an addressed CSO). */
async function requestForParty(db: D1Database, hash: string, caller: Caller) {
  const row = await findRequest(db, hash);
  const targets = row ? await listTargets(db, hash) : [];
  const isParty = row && (row.requester_org_id === caller.orgId || targets.some((target) => target.org_id === caller.orgId));
  // Not a party: answer as if it did not exist, so ids of other parties' requests reveal nothing.
  if (!row || !isParty) throw notFound('no activation request with this hash that your organisation is a party to');
  return { row, targets };
}

async function describe(db: D1Database, row: RequestRow) {
  const targets = await listTargets(db, row.hash);
  const decisions = await listDecisions(db, row.hash);
  const releases = await listReleases(db, row.hash);
  const officers = Object.fromEntries(
    await Promise.all(
      targets.map(
        async (target) =>
          [
            target.org_id,
            (await officersOf(db, target.org_id)).map((officer) => ({
              memberId: officer.id,
              label: officer.label,
              signPublicKey: officer.sign_public_key,
              status: officer.status,
            })),
          ] as const,
      ),
    ),
  );
  const orgs = Object.fromEntries(
    await Promise.all(
      [row.requester_org_id, ...targets.map((target) => target.org_id)].map(
        async (orgId) => [orgId, (await findOrg(db, orgId))?.name ?? orgId] as const,
      ),
    ),
  );
  return {
    ...requestToJson(row),
    orgNames: orgs,
    targets: targets.map((target) => ({
      orgId: target.org_id,
      approvalsRequired: target.approvals_required,
      rosterVersion: target.roster_version,
      status: target.status,
      updatedAt: target.updated_at,
    })),
    decisions: decisions.map((decision) => ({
      orgId: decision.org_id,
      memberId: decision.member_id,
      decision: decision.decision,
      signature: decision.signature,
      createdAt: decision.created_at,
    })),
    releases: releases.map(releaseToJson),
    officers,
    // Clients take officer keys and k from these signed chains (verified against their pin), not from `officers`.
    rosters: Object.fromEntries(
      await Promise.all(targets.map(async (target) => [target.org_id, await rosterChain(db, target.org_id)] as const)),
    ),
    audit: await chainWithVerdict(db, chainOfRequest(row.hash)),
  };
}

const createRouteDef = createRoute({
  method: 'post',
  path: '/',
  tags: ['activation'],
  summary: 'File an emergency activation request (officers of a consulate or city)',
  description:
    "The request names the CSOs asked, the area, nationalities, fields, purpose and expiry, and the requester keys the release will be sealed to. `signature` is the requester's Ed25519 signature over the request hash (crypto/src/activation.ts); `auditEntry` is the first entry of the request's audit chain, type activation.requested.",
  middleware: [requireCaller({ roles: ['officer'] }), sweepExpired] as const,
  request: { body: jsonBody(createActivationBody) },
  responses: withErrors({ 201: { description: 'Filed', ...json(activationSchema) } }),
});

const listRouteDef = createRoute({
  method: 'get',
  path: '/',
  tags: ['activation'],
  summary: 'Requests addressed to your CSO (incoming) or filed by your organisation (outgoing)',
  middleware: [requireCaller({ roles: ['officer'] }), sweepExpired] as const,
  request: { query: z.object({ direction: z.enum(['incoming', 'outgoing']).default('incoming') }) },
  responses: {
    200: {
      description: "Requests, newest first, with each target's status",
      ...json(z.object({ activations: z.array(activationSummarySchema), pending: z.number().int() })),
    },
    401: errors[401],
    403: errors[403],
  },
});

const getRouteDef = createRoute({
  method: 'get',
  path: '/{hash}',
  tags: ['activation'],
  summary:
    "One request with its decisions, releases, the officers' public keys, each addressed CSO's signed officer roster chain (`rosters`) and its audit chain (parties only)",
  middleware: [requireCaller({ roles: ['officer'] }), sweepExpired] as const,
  request: { params: hashParam },
  responses: {
    200: { description: 'The request', ...json(activationSchema) },
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
  },
});

const decideRouteDef = createRoute({
  method: 'post',
  path: '/{hash}/decisions',
  tags: ['activation'],
  summary: 'Approve or veto (officers of an addressed CSO), with a signature over the decision',
  middleware: [requireCaller({ roles: ['officer'] }), sweepExpired] as const,
  request: { params: hashParam, body: jsonBody(decisionBody) },
  responses: withErrors({ 200: { description: "Recorded; the target's new status", ...json(activationSchema) } }),
});

const releaseRouteDef = createRoute({
  method: 'post',
  path: '/{hash}/releases',
  tags: ['activation'],
  summary: 'Upload a release bundle (officers of an approved CSO); refused without k valid approvals and no veto',
  middleware: [
    bodyLimit({
      maxSize: Math.ceil((MAX_BUNDLE_BYTES * 4) / 3) + 64 * 1024,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `a release bundle is at most ${MAX_BUNDLE_BYTES / 1024 / 1024} MiB`);
      },
    }),
    requireCaller({ roles: ['officer'] }),
    sweepExpired,
  ] as const,
  request: { params: hashParam, body: jsonBody(releaseBody) },
  responses: withErrors({ 201: { description: 'Stored', ...json(activationSchema) }, 413: tooLargeResponse[413] }),
});

const downloadRouteDef = createRoute({
  method: 'post',
  path: '/{hash}/releases/{releaseId}/download',
  tags: ['activation'],
  summary: 'Download a release bundle (officers of the requesting organisation); logged',
  middleware: [requireCaller({ roles: ['officer'] }), sweepExpired] as const,
  request: { params: releaseParam, body: jsonBody(auditOnlyBody) },
  responses: withErrors({ 200: { description: 'The sealed bundle (base64url) and what is needed to verify it', ...json(downloadSchema) } }),
});

const revokeRouteDef = createRoute({
  method: 'post',
  path: '/{hash}/releases/{releaseId}/revoke',
  tags: ['activation'],
  summary: 'Revoke a release early (officers of the releasing CSO): the bundle is deleted',
  middleware: [requireCaller({ roles: ['officer'] }), sweepExpired] as const,
  request: { params: releaseParam, body: jsonBody(auditOnlyBody) },
  responses: withErrors({ 200: { description: 'Revoked', ...json(activationSchema) } }),
});

export const activationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createRouteDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { request, signature, auditEntry } = context.req.valid('json');
    if (request.kind !== 'release')
      throw badRequest('body.request.kind: break-glass activations start from their arrangement (POST /api/arrangements/{id}/activate)');
    const { org, me, targets } = await checkRequesterAsk(db, caller, {
      what: 'activation requests',
      requester: request.requester,
      nationalities: request.nationalities,
      createdAt: request.createdAt,
      expiresAt: request.expiresAt,
      maxDays: MAX_EXPIRY_DAYS,
      csoOrgIds: request.orgIds,
    });
    const typed = request as ActivationRequest;
    if (!(await verifyRequestSignature(typed, signature))) throw unauthenticated('the request signature does not match the requester key');
    const hash = await requestHash(typed);
    if (await findRequest(db, hash)) throw conflict('this exact request was filed already');
    const chain = chainOfRequest(hash);
    const createdAt = nowIso();
    await fileRequest(
      db,
      {
        hash,
        request: JSON.stringify(request),
        signature,
        kind: 'release',
        requesterOrgId: org.id,
        requesterMemberId: me.memberId,
        arrangementId: null,
        createdAt,
        expiresAt: request.expiresAt,
      },
      await Promise.all(
        targets.map(async (target) => ({
          orgId: target.id,
          approvalsRequired: target.approvals_required,
          rosterVersion: await currentRosterVersion(db, target.id),
        })),
      ),
      await acceptEntry(db, chain, auditEntry, { actor: me, type: 'activation.requested', payload: { requestHash: hash } }),
    );
    return context.json(await describe(db, (await findRequest(db, hash))!), 201);
  })
  .openapi(listRouteDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { direction } = context.req.valid('query');
    const results = direction === 'outgoing' ? await listOutgoingRequests(db, caller.orgId) : await listIncomingRequests(db, caller.orgId);
    const activations = await Promise.all(
      results.map(async (row) => ({
        ...requestToJson(row),
        targets: (await listTargets(db, row.hash)).map((target) => ({
          orgId: target.org_id,
          status: target.status,
          approvalsRequired: target.approvals_required,
        })),
      })),
    );
    const pending =
      direction === 'incoming'
        ? activations.filter((activation) =>
            activation.targets.some((target) => target.orgId === caller.orgId && target.status === 'pending'),
          ).length
        : 0;
    return context.json({ activations, pending }, 200);
  })
  .openapi(getRouteDef, async (context) => {
    const { row } = await requestForParty(context.env.DB, context.req.valid('param').hash, context.get('caller'));
    return context.json(await describe(context.env.DB, row), 200);
  })
  .openapi(decideRouteDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { hash } = context.req.valid('param');
    const { orgId, decision, signature, auditEntry } = context.req.valid('json');
    if (orgId !== caller.orgId) throw forbidden('you decide for your own organisation only');
    const { row, targets } = await requestForParty(db, hash, caller);
    const target = targets.find((candidate) => candidate.org_id === orgId);
    if (!target) throw forbidden('this request is not addressed to your organisation');
    if (row.status !== 'open') throw conflict('this request has expired');
    // After a revoke a veto is still taken (it is the record that the officers said no); an approval is not.
    const vetoAfterRevoke = target.status === 'revoked' && decision === 'veto';
    if (!['pending', 'approved'].includes(target.status) && !vetoAfterRevoke)
      throw conflict(`this request is ${target.status} for your organisation; no more decisions are taken`);
    const me = await callerIdentity(db, caller);
    const valid = await verifyEd25519(fromBase64(me.signPublicKey), fromBase64(signature), decisionBytes(hash, decision, me.memberId));
    if (!valid) throw unauthenticated('the decision signature does not match your key, this request and this decision');
    const existing = (await listDecisions(db, hash)).find((candidate) => candidate.member_id === me.memberId);
    if (existing) throw conflict(`you already decided (${existing.decision}) on this request`);
    await recordDecision(
      db,
      { request_hash: hash, org_id: orgId, member_id: me.memberId, decision, signature, created_at: nowIso() },
      await acceptEntry(db, chainOfRequest(hash), auditEntry, {
        actor: me,
        type: decision === 'approve' ? 'activation.approved' : 'activation.vetoed',
        payload: { requestHash: hash, orgId, signature },
      }),
    );
    if (!vetoAfterRevoke) {
      const verdict = await evaluateTarget(db, hash, target);
      const status = verdict.ok ? 'approved' : verdict.reason === 'vetoed' ? 'vetoed' : 'pending';
      await setTargetStatus(db, hash, orgId, status, nowIso());
    }
    return context.json(await describe(db, row), 200);
  })
  .openapi(releaseRouteDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { hash } = context.req.valid('param');
    const { orgId, bundle, auditEntry } = context.req.valid('json');
    if (orgId !== caller.orgId) throw forbidden('you release for your own organisation only');
    const { row, targets } = await requestForParty(db, hash, caller);
    const target = targets.find((candidate) => candidate.org_id === orgId);
    if (!target) throw forbidden('this request is not addressed to your organisation');
    if (row.status !== 'open') throw conflict('this request has expired');
    // A revoke is final for the request (issue 15): a new release needs a new request, approved again.
    if (target.status === 'revoked')
      throw conflict('your organisation revoked its release for this request; a revoke is final, so the requester must file a new request');
    // The stored status is a cache; the decision is taken again from the signatures.
    const verdict = await evaluateTarget(db, hash, target);
    if (!verdict.ok) {
      throw forbidden(
        verdict.reason === 'vetoed'
          ? 'an officer vetoed this request: nothing can be released'
          : `a release needs ${target.approvals_required} approvals from your officers; it has ${verdict.approvers.length}`,
      );
    }
    if (target.status === 'released') throw conflict('your organisation has released for this request already; revoke that release first');
    const request = parseRequest(row);
    const bytes = fromBase64(bundle);
    const officerKeys = [...(await activeOfficerKeys(db, orgId)).values()];
    let manifest: Awaited<ReturnType<typeof verifyBundleManifest>>['manifest'];
    try {
      manifest = (await verifyBundleManifest(bytes, { requestHash: hash, officerKeys })).manifest;
    } catch (error) {
      throw badRequest(`body.bundle: not a valid release bundle for this request (${(error as Error).message})`);
    }
    if (manifest.orgId !== orgId) throw badRequest('body.bundle: the manifest names another organisation');
    if (manifest.recipient !== request.requester.boxPublicKey)
      throw badRequest('body.bundle: not sealed to the requester key named in the request');
    if (manifest.releasedBy.memberId !== caller.memberId) throw badRequest('body.bundle: must be signed by you, the uploading officer');
    if (Date.parse(manifest.expiresAt) > Date.parse(row.expires_at)) throw badRequest('body.bundle: expires after the request does');
    if (await releaseIdTaken(db, manifest.bundleId)) throw conflict('a release with this bundle id exists already');
    const me = await callerIdentity(db, caller);
    const digest = await sha256Hex(bytes);
    const createdAt = nowIso();
    await storeRelease(
      db,
      {
        id: manifest.bundleId,
        request_hash: hash,
        org_id: orgId,
        uploaded_by: me.memberId,
        sha256: digest,
        created_at: createdAt,
        expires_at: manifest.expiresAt,
      },
      bytes,
      await acceptEntry(db, chainOfRequest(hash), auditEntry, {
        actor: me,
        type: 'release.uploaded',
        payload: { requestHash: hash, orgId, releaseId: manifest.bundleId, sha256: digest },
      }),
    );
    return context.json(await describe(db, row), 201);
  })
  .openapi(downloadRouteDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { hash, releaseId } = context.req.valid('param');
    const { auditEntry } = context.req.valid('json');
    const { row } = await requestForParty(db, hash, caller);
    if (row.requester_org_id !== caller.orgId) throw forbidden('only the requesting organisation downloads a release');
    const release = await findRelease(db, releaseId, hash);
    if (!release) throw notFound('no such release for this request');
    if (release.status !== 'available') throw conflict(`this release was ${release.status}; its bundle is deleted`);
    const me = await callerIdentity(db, caller);
    await countDownload(
      db,
      releaseId,
      await acceptEntry(db, chainOfRequest(hash), auditEntry, {
        actor: me,
        type: 'release.downloaded',
        payload: { requestHash: hash, releaseId },
      }),
    );
    const bytes = await readChunks(db, releaseId);
    return context.json({ release: releaseToJson({ ...release, downloads: release.downloads + 1 }), bundle: toBase64(bytes) }, 200);
  })
  .openapi(revokeRouteDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { hash, releaseId } = context.req.valid('param');
    const { auditEntry } = context.req.valid('json');
    const { row } = await requestForParty(db, hash, caller);
    const release = await findRelease(db, releaseId, hash);
    if (!release) throw notFound('no such release for this request');
    if (release.org_id !== caller.orgId) throw forbidden('only officers of the releasing organisation revoke a release');
    if (release.status !== 'available') throw conflict(`this release was ${release.status} already`);
    const me = await callerIdentity(db, caller);
    const at = nowIso();
    await revokeRelease(
      db,
      { id: releaseId, request_hash: hash, org_id: release.org_id },
      at,
      await acceptEntry(db, chainOfRequest(hash), auditEntry, {
        actor: me,
        type: 'release.revoked',
        payload: { requestHash: hash, releaseId },
      }),
    );
    return context.json(await describe(db, row), 200);
  });

// Break-glass (buffer.md, property 7): a standing arrangement a CSO and a requester sign in calm
// times. On activation a waiting period starts that any officer can veto; only after it does the
// server hand over its share of the arrangement key (sealed to the requester, so the server never
// holds a usable secret). Used once, then retired. Reasoning: docs/decisions/0101-break-glass.md.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { decisionBytes, requestHash, verifyRequestSignature, type ActivationRequest } from '#crypto/activation';
import {
  arrangementBytes,
  arrangementCopyHash,
  arrangementSigners,
  breakGlassStatus,
  verifyArrangement,
  type ArrangementDescriptor,
} from '#crypto/breakglass-policy';
import { fromBase64, toBase64 } from '#crypto/encoding';
import { verifyBundleManifest } from '#crypto/bundle-manifest';
import { verifyEd25519 } from '#crypto/webcrypto';
import { activationRequestSchema, MAX_BUNDLE_BYTES, requestHashSchema } from '../activations/schemas.ts';
import { currentRosterVersion, toDecision } from '../activations/store.ts';
import { decisionKeysAt, rosterHead } from '../roster/store.ts';
import { rosterQuorum } from '#crypto/roster';
import { acceptEntry, auditEntrySchema, chainOfArrangement, chainWithVerdict } from '../audit/chain.ts';
import { callerIdentity } from '../auth/caller.ts';
import { requireCaller } from '../auth/middleware.ts';
import { findRequest, listDecisions, listTargets } from '../db/activations.ts';
import {
  acceptArrangement,
  type ArrangementRow,
  copyUpdatedAt,
  findArrangement,
  findCopy,
  insertArrangement,
  listArrangementsOf,
  markArrangementUsed,
  setCosignatures,
  startBreakGlass,
  upsertCopy,
  vetoBreakGlass,
} from '../db/arrangements.ts';
import { findMember, findOrg } from '../db/orgs.ts';
import { csoListsRequester } from '../db/relationships.ts';
import type { AppEnv, Caller } from '../env.ts';
import { ApiError, badRequest, conflict, forbidden, notFound, unauthenticated } from '../errors.ts';
import { base64url, errorResponses, id, jsonContent, signature64, tooLargeResponse, withErrors } from '../schemas.ts';
import { arrangementSchema, cosignaturesOf, descriptorOf, descriptorSchema } from './schemas.ts';
import { nowIso } from '../util.ts';
import { jsonBody, validationHook } from '../validation.ts';

const json = jsonContent;
const errors = errorResponses;

const sealedShare = base64url(50, 400);

const createBody = z.object({
  arrangement: z.object({
    descriptor: descriptorSchema,
    signature: signature64,
    orgEscrow: sealedShare,
    requesterShare: sealedShare,
    serverShare: sealedShare,
  }),
  auditEntry: auditEntrySchema,
});
const idParam = z.object({ id: id.openapi({ param: { name: 'id', in: 'path' } }) });
const auditOnly = z.object({ auditEntry: auditEntrySchema });
const copyBody = z.object({
  bundle: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected base64url')
    .max(Math.ceil((MAX_BUNDLE_BYTES * 4) / 3)),
});
/** How long after the waiting period a break-glass activation may stay open (decision 0610). */
export const BREAK_GLASS_MAX_OPEN_SECONDS = 7 * 86_400;
const activateBody = z.object({ request: activationRequestSchema, signature: signature64, auditEntry: auditEntrySchema });
const vetoBody = z.object({ requestHash: requestHashSchema, signature: signature64, auditEntry: auditEntrySchema });

/**
 * Which officers of the CSO's current statement signed the descriptor (its creator and those who
 * co-signed, each signature checked), and how many must: k of the statement, or every officer
 * while it has fewer (the roster's bootstrap rule, decision 0603). Decision 0610.
 */
async function officerSignatures(db: D1Database, row: ArrangementRow) {
  const head = await rosterHead(db, row.cso_org_id);
  const keys = new Map((head?.statement.officers ?? []).map((officer) => [officer.memberId, officer.signPublicKey]));
  const signers = await arrangementSigners(descriptorOf(row), row.signature, cosignaturesOf(row), keys);
  return { signers, needed: head ? rosterQuorum(head.statement) : 1 };
}

async function arrangementForParty(db: D1Database, arrangementId: string, caller: Caller) {
  const row = await findArrangement(db, arrangementId);
  if (!row || (row.cso_org_id !== caller.orgId && row.requester_org_id !== caller.orgId)) {
    throw notFound('no arrangement with this id that your organisation is a party to');
  }
  return row;
}

/** The break-glass state, from the officers' signed vetoes and the clock (crypto breakGlassStatus). */
async function stateOf(db: D1Database, row: ArrangementRow) {
  if (!row.request_hash || !row.started_at) return null;
  const decisions = (await listDecisions(db, row.request_hash)).map(toDecision);
  return breakGlassStatus({
    requestHash: row.request_hash,
    startedAt: row.started_at,
    waitingPeriodSeconds: row.waiting_seconds,
    decisions,
    // Vetoes by officers of the roster the activation started under count even after they leave.
    officerKeys: (
      await decisionKeysAt(
        db,
        row.cso_org_id,
        (await listTargets(db, row.request_hash)).find((target) => target.org_id === row.cso_org_id)?.roster_version ?? null,
      )
    ).veto,
  });
}

async function describe(db: D1Database, row: ArrangementRow, caller: Caller) {
  const state = await stateOf(db, row);
  const isRequester = caller.orgId === row.requester_org_id;
  return {
    id: row.id,
    csoOrgId: row.cso_org_id,
    requesterOrgId: row.requester_org_id,
    descriptor: descriptorOf(row),
    signature: row.signature,
    requesterSignature: row.requester_signature,
    status: row.status,
    // Officers of the CSO who signed the descriptor, and how many must before the requester may accept.
    cosignatures: cosignaturesOf(row),
    officerSignatures: row.status === 'proposed' ? await officerSignatures(db, row) : null,
    requestHash: row.request_hash,
    startedAt: row.started_at,
    breakGlass: state,
    // Each side gets only its own sealed material.
    requesterShare: isRequester && row.status !== 'proposed' ? row.requester_share : null,
    orgEscrow: isRequester ? null : row.org_escrow,
    // When the CSO's devices last refreshed the minimised copy (its size and content are not shown).
    copyUpdatedAt: await copyUpdatedAt(db, row.id),
    audit: await chainWithVerdict(db, chainOfArrangement(row.id)),
  };
}

const createDef = createRoute({
  method: 'post',
  path: '/',
  tags: ['break-glass'],
  summary: 'Propose a standing break-glass arrangement with a requester (CSO officers)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { body: jsonBody(createBody) },
  responses: withErrors({ 201: { description: 'Proposed; the requester must accept it', ...json(arrangementSchema) } }),
});
const listDef = createRoute({
  method: 'get',
  path: '/',
  tags: ['break-glass'],
  summary: "Your organisation's arrangements, on either side; `waiting` counts the break-glass activations running now",
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  responses: {
    200: { description: 'Arrangements', ...json(z.object({ arrangements: z.array(arrangementSchema), waiting: z.number() })) },
    401: errors[401],
    403: errors[403],
  },
});
const getDef = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['break-glass'],
  summary: 'One arrangement, its state and audit chain (parties only)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: idParam },
  responses: { 200: { description: 'The arrangement', ...json(arrangementSchema) }, 401: errors[401], 403: errors[403], 404: errors[404] },
});
const cosignDef = createRoute({
  method: 'post',
  path: '/{id}/cosign',
  tags: ['break-glass'],
  summary: 'Another officer of the CSO co-signs a proposed arrangement: k officers set one up, like a release (decision 0610)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: idParam, body: jsonBody(z.object({ signature: signature64, auditEntry: auditEntrySchema })) },
  responses: withErrors({ 200: { description: 'Co-signed', ...json(arrangementSchema) } }),
});
const acceptDef = createRoute({
  method: 'post',
  path: '/{id}/accept',
  tags: ['break-glass'],
  summary: 'The named requester countersigns the arrangement (it becomes active) and receives its share',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: idParam, body: jsonBody(z.object({ signature: signature64, auditEntry: auditEntrySchema })) },
  responses: withErrors({ 200: { description: 'Active', ...json(arrangementSchema) } }),
});
const copyPutDef = createRoute({
  method: 'put',
  path: '/{id}/copy',
  tags: ['break-glass'],
  summary:
    "Replace the arrangement's minimised copy (CSO officers): one release bundle sealed to the arrangement key, signed by the uploading officer",
  description:
    "Only the agreed fields of the consenting people in the arrangement's scope, chosen and cut on the officer's device; padded; replaced whole, so the server learns neither which records nor which people (decision 0610).",
  middleware: [
    bodyLimit({
      maxSize: Math.ceil((MAX_BUNDLE_BYTES * 4) / 3) + 64 * 1024,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `a copy is at most ${MAX_BUNDLE_BYTES / 1024 / 1024} MiB`);
      },
    }),
    requireCaller({ roles: ['officer'] }),
  ] as const,
  request: { params: idParam, body: jsonBody(copyBody) },
  responses: withErrors({ 200: { description: 'Stored', ...json(z.object({ updatedAt: z.string() })) }, 413: tooLargeResponse[413] }),
});
const activateDef = createRoute({
  method: 'post',
  path: '/{id}/activate',
  tags: ['break-glass'],
  summary: 'Break the glass (the requester): the waiting period starts and every officer of the CSO can veto',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: idParam, body: jsonBody(activateBody) },
  responses: withErrors({ 200: { description: 'Waiting', ...json(arrangementSchema) } }),
});
const vetoDef = createRoute({
  method: 'post',
  path: '/{id}/veto',
  tags: ['break-glass'],
  summary: 'Veto a running break-glass activation (any officer of the CSO); the arrangement is retired',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: idParam, body: jsonBody(vetoBody) },
  responses: withErrors({ 200: { description: 'Vetoed', ...json(arrangementSchema) } }),
});
const keyShareDef = createRoute({
  method: 'post',
  path: '/{id}/key-share',
  tags: ['break-glass'],
  summary: "The server's share of the arrangement key (sealed to the requester), only after the waiting period with no veto",
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: idParam, body: jsonBody(auditOnly) },
  responses: withErrors({ 200: { description: 'The share', ...json(z.object({ serverShare: z.string(), requesterShare: z.string() })) } }),
});
const copyGetDef = createRoute({
  method: 'get',
  path: '/{id}/copy',
  tags: ['break-glass'],
  summary: 'The minimised copy (the requester, once the key share was released and while the activation is open)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: idParam },
  responses: withErrors({
    200: { description: 'The sealed copy (base64url)', ...json(z.object({ bundle: z.string(), updatedAt: z.string() })) },
  }),
});

export const arrangementRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { arrangement, auditEntry } = context.req.valid('json');
    const descriptor = arrangement.descriptor as ArrangementDescriptor;
    const org = await findOrg(db, caller.orgId);
    if (org?.kind !== 'cso') throw forbidden('only a CSO proposes a break-glass arrangement');
    if (descriptor.orgId !== caller.orgId) throw badRequest('body.arrangement.descriptor.orgId: must be your organisation');
    const self = await callerIdentity(db, caller);
    if (descriptor.createdBy.memberId !== self.memberId || descriptor.createdBy.signPublicKey !== self.signPublicKey) {
      throw badRequest('body.arrangement.descriptor.createdBy: must be you, with your registered signing key');
    }
    if (!(await verifyArrangement(descriptor, arrangement.signature, [self.signPublicKey])))
      throw unauthenticated('the arrangement signature does not match your key');
    const requester = await findMember(db, descriptor.requester.id);
    if (
      requester?.status !== 'active' ||
      requester.role !== 'officer' ||
      requester.sign_public_key !== descriptor.requester.signPublicKey
    ) {
      throw badRequest('body.arrangement.descriptor.requester: not an active officer with this signing key');
    }
    if (!(await csoListsRequester(db, caller.orgId, requester.org_id)))
      throw forbidden("list the requester's organisation as one you work with first");
    if (await findArrangement(db, descriptor.arrangementId)) throw conflict('an arrangement with this id exists already');
    const createdAt = nowIso();
    await insertArrangement(
      db,
      {
        id: descriptor.arrangementId,
        cso_org_id: caller.orgId,
        requester_org_id: requester.org_id,
        descriptor: JSON.stringify(descriptor),
        signature: arrangement.signature,
        org_escrow: arrangement.orgEscrow,
        requester_share: arrangement.requesterShare,
        server_share: arrangement.serverShare,
        waiting_seconds: descriptor.waitingPeriodSeconds,
        created_at: createdAt,
      },
      await acceptEntry(db, chainOfArrangement(descriptor.arrangementId), auditEntry, {
        actor: self,
        type: 'arrangement.proposed',
        payload: { arrangementId: descriptor.arrangementId },
      }),
    );
    return context.json(await describe(db, (await findArrangement(db, descriptor.arrangementId))!, caller), 201);
  })
  .openapi(listDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const arrangements = await Promise.all((await listArrangementsOf(db, caller.orgId)).map((row) => describe(db, row, caller)));
    return context.json({ arrangements, waiting: arrangements.filter((arrangement) => arrangement.status === 'waiting').length }, 200);
  })
  .openapi(getDef, async (context) => {
    const caller = context.get('caller');
    return context.json(
      await describe(context.env.DB, await arrangementForParty(context.env.DB, context.req.valid('param').id, caller), caller),
      200,
    );
  })
  .openapi(cosignDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const row = await arrangementForParty(db, context.req.valid('param').id, caller);
    if (row.cso_org_id !== caller.orgId) throw forbidden("only the CSO's officers co-sign its arrangements");
    if (row.status !== 'proposed') throw conflict(`this arrangement is ${row.status}: it takes no more signatures`);
    const descriptor = descriptorOf(row);
    const { signature, auditEntry } = context.req.valid('json');
    const self = await callerIdentity(db, caller);
    const cosignatures = cosignaturesOf(row);
    if (descriptor.createdBy.memberId === self.memberId || cosignatures.some((cosignature) => cosignature.memberId === self.memberId))
      throw conflict('you signed this arrangement already');
    if (!(await verifyEd25519(fromBase64(self.signPublicKey), fromBase64(signature), arrangementBytes(descriptor)))) {
      throw unauthenticated('the co-signature does not match your key and this arrangement');
    }
    await setCosignatures(
      db,
      row.id,
      JSON.stringify([...cosignatures, { memberId: self.memberId, signature }]),
      await acceptEntry(db, chainOfArrangement(row.id), auditEntry, {
        actor: self,
        type: 'arrangement.cosigned',
        payload: { arrangementId: row.id },
      }),
    );
    return context.json(await describe(db, (await findArrangement(db, row.id))!, caller), 200);
  })
  .openapi(acceptDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const row = await arrangementForParty(db, context.req.valid('param').id, caller);
    const descriptor = descriptorOf(row);
    if (descriptor.requester.id !== caller.memberId) throw forbidden('only the requester named in the arrangement accepts it');
    if (row.status !== 'proposed') throw conflict(`this arrangement is ${row.status}`);
    const { signers, needed } = await officerSignatures(db, row);
    if (signers.length < needed) throw conflict(`the CSO's officers have not all signed it yet: ${signers.length} of the ${needed} needed`);
    const { signature, auditEntry } = context.req.valid('json');
    const self = await callerIdentity(db, caller);
    if (!(await verifyEd25519(fromBase64(self.signPublicKey), fromBase64(signature), arrangementBytes(descriptor)))) {
      throw unauthenticated('the countersignature does not match your key and this arrangement');
    }
    await acceptArrangement(
      db,
      row.id,
      signature,
      await acceptEntry(db, chainOfArrangement(row.id), auditEntry, {
        actor: self,
        type: 'arrangement.accepted',
        payload: { arrangementId: row.id },
      }),
    );
    return context.json(await describe(db, (await findArrangement(db, row.id))!, caller), 200);
  })
  .openapi(copyPutDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const row = await arrangementForParty(db, context.req.valid('param').id, caller);
    if (row.cso_org_id !== caller.orgId) throw forbidden("only the CSO's own officers keep the copy");
    if (!['proposed', 'active', 'waiting'].includes(row.status))
      throw conflict(`this arrangement is ${row.status}; its copy is no longer kept`);
    const descriptor = descriptorOf(row);
    const self = await callerIdentity(db, caller);
    const bytes = fromBase64(context.req.valid('json').bundle);
    let manifest: Awaited<ReturnType<typeof verifyBundleManifest>>['manifest'];
    try {
      manifest = (
        await verifyBundleManifest(bytes, {
          requestHash: await arrangementCopyHash(descriptor),
          officerKeys: [self.signPublicKey],
          orgId: row.cso_org_id,
        })
      ).manifest;
    } catch (error) {
      throw badRequest(`body.bundle: not a copy for this arrangement signed by you (${(error as Error).message})`);
    }
    if (manifest.recipient !== descriptor.publicKey) throw badRequest('body.bundle: not sealed to the arrangement key');
    if (manifest.releasedBy.memberId !== self.memberId) throw badRequest('body.bundle: must be signed by you, the uploading officer');
    const updatedAt = nowIso();
    await upsertCopy(db, row.id, bytes, self.memberId, updatedAt);
    return context.json({ updatedAt }, 200);
  })
  .openapi(activateDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const row = await arrangementForParty(db, context.req.valid('param').id, caller);
    const descriptor = descriptorOf(row);
    if (descriptor.requester.id !== caller.memberId) throw forbidden('only the requester named in the arrangement breaks the glass');
    if (row.status !== 'active')
      throw conflict(
        row.status === 'proposed' ? 'the arrangement was never accepted' : `this arrangement is ${row.status}; a new one must be made`,
      );
    const { request, signature, auditEntry } = context.req.valid('json');
    const typed = request as ActivationRequest;
    if (request.kind !== 'break_glass' || request.arrangementId !== row.id)
      throw badRequest('body.request: must be a break_glass request naming this arrangement');
    if (request.orgIds.length !== 1 || request.orgIds[0] !== row.cso_org_id)
      throw badRequest("body.request.orgIds: must be exactly the arrangement's CSO");
    if (
      request.requester.id !== caller.memberId ||
      request.requester.signPublicKey !== descriptor.requester.signPublicKey ||
      request.requester.boxPublicKey !== descriptor.requester.boxPublicKey
    ) {
      throw badRequest('body.request.requester: must be the requester and keys named in the arrangement');
    }
    if (Date.parse(request.expiresAt) <= Date.now() + row.waiting_seconds * 1000)
      throw badRequest('body.request.expiresAt: must be after the waiting period ends');
    // Open at most a week after the wait (issue 15: the expiry was unbounded).
    if (Date.parse(request.expiresAt) > Date.now() + (row.waiting_seconds + BREAK_GLASS_MAX_OPEN_SECONDS) * 1000) {
      throw badRequest(`body.request.expiresAt: at most ${BREAK_GLASS_MAX_OPEN_SECONDS / 86_400} days after the waiting period ends`);
    }
    if (!(await verifyRequestSignature(typed, signature))) throw unauthenticated('the request signature does not match your key');
    const hash = await requestHash(typed);
    const self = await callerIdentity(db, caller);
    const startedAt = nowIso();
    const org = await findOrg(db, row.cso_org_id);
    await startBreakGlass(
      db,
      row.id,
      {
        hash,
        request: JSON.stringify(request),
        signature,
        kind: 'break_glass',
        requesterOrgId: row.requester_org_id,
        requesterMemberId: self.memberId,
        arrangementId: row.id,
        createdAt: startedAt,
        expiresAt: request.expiresAt,
      },
      {
        orgId: row.cso_org_id,
        approvalsRequired: org?.approvals_required ?? 1,
        rosterVersion: await currentRosterVersion(db, row.cso_org_id),
      },
      await acceptEntry(db, chainOfArrangement(row.id), auditEntry, {
        actor: self,
        type: 'breakglass.activated',
        payload: { arrangementId: row.id, requestHash: hash },
      }),
    );
    return context.json(await describe(db, (await findArrangement(db, row.id))!, caller), 200);
  })
  .openapi(vetoDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const row = await arrangementForParty(db, context.req.valid('param').id, caller);
    if (row.cso_org_id !== caller.orgId) throw forbidden("only the CSO's officers veto");
    if (row.status !== 'waiting' || !row.request_hash)
      throw conflict(`there is no running break-glass activation to veto (the arrangement is ${row.status})`);
    const { requestHash: hash, signature, auditEntry } = context.req.valid('json');
    if (hash !== row.request_hash) throw badRequest('body.requestHash: not the running activation');
    const self = await callerIdentity(db, caller);
    if (!(await verifyEd25519(fromBase64(self.signPublicKey), fromBase64(signature), decisionBytes(hash, 'veto', self.memberId)))) {
      throw unauthenticated('the veto signature does not match your key and this activation');
    }
    await vetoBreakGlass(
      db,
      { arrangementId: row.id, requestHash: hash, orgId: caller.orgId, memberId: self.memberId, signature, at: nowIso() },
      await acceptEntry(db, chainOfArrangement(row.id), auditEntry, {
        actor: self,
        type: 'breakglass.vetoed',
        payload: { arrangementId: row.id, requestHash: hash, signature },
      }),
    );
    return context.json(await describe(db, (await findArrangement(db, row.id))!, caller), 200);
  })
  .openapi(keyShareDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const row = await arrangementForParty(db, context.req.valid('param').id, caller);
    const descriptor = descriptorOf(row);
    if (row.requester_org_id !== caller.orgId || descriptor.requester.id !== caller.memberId)
      throw forbidden('only the named requester receives the key share');
    if (row.status !== 'waiting' && row.status !== 'used') throw forbidden(`no key share: the arrangement is ${row.status}`);
    const state = await stateOf(db, row);
    if (!state || state.state === 'vetoed') throw forbidden('an officer vetoed this break-glass activation: no key share, ever');
    if (state.state === 'waiting') throw forbidden(`the waiting period runs until ${state.releasableAt}; any officer can still veto`);
    const self = await callerIdentity(db, caller);
    const { auditEntry } = context.req.valid('json');
    await markArrangementUsed(
      db,
      row.id,
      await acceptEntry(db, chainOfArrangement(row.id), auditEntry, {
        actor: self,
        type: 'breakglass.key_released',
        payload: { arrangementId: row.id, requestHash: row.request_hash! },
      }),
    );
    return context.json({ serverShare: row.server_share, requesterShare: row.requester_share }, 200);
  })
  .openapi(copyGetDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const row = await arrangementForParty(db, context.req.valid('param').id, caller);
    if (row.requester_org_id !== caller.orgId) throw forbidden('only the requester reads the copy of a used arrangement');
    if (row.status !== 'used')
      throw forbidden(`the copy is available only after the key share was released (the arrangement is ${row.status})`);
    const request = row.request_hash ? await findRequest(db, row.request_hash) : null;
    if (request?.status !== 'open') throw forbidden('this break-glass activation has expired');
    const copy = await findCopy(db, row.id);
    if (!copy) throw notFound("the CSO's devices have not stored a copy for this arrangement");
    return context.json({ bundle: toBase64(new Uint8Array(copy.bundle)), updatedAt: copy.updated_at }, 200);
  });

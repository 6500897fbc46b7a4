// What the organisation routers share: request pieces, the founder's or joiner's signature check,
// and the org key a new statement version must name.
import { z } from '@hono/zod-openapi';
import { fromBase64 } from '#crypto/encoding';
import { isWeakEd25519PublicKey, verifyEd25519 } from '#crypto/webcrypto';
import { findOrg } from '../db/orgs.ts';
import { badRequest, conflict, unauthenticated } from '../errors.ts';
import { base64url, id, jsonContent, key32, label, orgIdParam } from '../schemas.ts';
import { proposalSchema } from '../roster/store.ts';

export const wrappedKey = base64url(48, 512);
export const newMemberKeys = z.object({ id, label, signPublicKey: key32, boxPublicKey: key32 });
export const memberParams = orgIdParam.extend({ memberId: id.openapi({ param: { name: 'memberId', in: 'path' } }) });
export const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits');
export const rotationWraps = z
  .array(z.object({ memberId: id, wrappedOrgKey: wrappedKey }))
  .min(1)
  .max(200);

/** The 202 answer of a statement change that waits for the co-signatures of other officers. */
export const waitingResponse = (description = 'Waiting for the co-signatures of other officers') => ({
  description,
  ...jsonContent(z.object({ proposal: proposalSchema })),
});

export async function checkSignature(signPublicKey: string, signature: string, message: Uint8Array) {
  // A weak (small-order) key would let anyone forge this member's signatures.
  if (isWeakEd25519PublicKey(fromBase64(signPublicKey))) throw badRequest('the signing key is a weak Ed25519 key; generate a new key pair');
  if (!(await verifyEd25519(fromBase64(signPublicKey), fromBase64(signature), message))) {
    throw unauthenticated('the signature does not match the keys in the request; it was not made with the key being registered');
  }
}

/** The org public key a new statement version must name, unless it rotates the key: the current one. */
export async function orgKeyOf(db: D1Database, orgId: string): Promise<string> {
  const org = await findOrg(db, orgId);
  if (!org?.public_key) throw conflict('this organisation has no public key');
  return org.public_key;
}

// The signed-in caller's registered identity: what their audit entries and signatures must match.
import { findMember } from '../db/orgs.ts';
import type { Caller } from '../env.ts';
import { unauthenticated } from '../errors.ts';

export interface CallerIdentity {
  memberId: string;
  label: string;
  signPublicKey: string;
  boxPublicKey: string;
}

export async function callerIdentity(db: D1Database, caller: Caller): Promise<CallerIdentity> {
  const member = await findMember(db, caller.memberId);
  if (!member) throw unauthenticated('member not found');
  return { memberId: member.id, label: member.label, signPublicKey: member.sign_public_key, boxPublicKey: member.box_public_key };
}

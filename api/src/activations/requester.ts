// What any ask from a consulate or city to a CSO must satisfy (an activation request, a relay
// request): the caller is an officer of a requester organisation, signs as themselves, asks only
// for nationals a consulate serves, dates it now, and asks CSOs that listed them.
import { callerIdentity } from '../auth/caller.ts';
import { findOrg, type OrgRow } from '../db/orgs.ts';
import type { Caller } from '../env.ts';
import { badRequest, forbidden } from '../errors.ts';

const CLOCK_TOLERANCE_MS = 10 * 60 * 1000;

export interface RequesterAsk {
  what: string;
  requester: { id: string; signPublicKey: string };
  nationalities: string[];
  createdAt: string;
  expiresAt: string;
  maxDays: number;
  csoOrgIds: string[];
  /**
   * A CSO may address the ask to itself (a relay to its own communities, e.g. after an alert):
   * its officers still approve k of n, and no relationship is needed with itself.
   */
  allowOwnCso?: boolean;
}

export async function checkRequesterAsk(db: D1Database, caller: Caller, ask: RequesterAsk) {
  const org = await findOrg(db, caller.orgId);
  const ownAsk = org?.kind === 'cso' && ask.allowOwnCso === true;
  if (!org || (org.kind === 'cso' && !ownAsk)) throw forbidden(`only consulates and cities file ${ask.what}`);
  if (ownAsk && ask.csoOrgIds.some((orgId) => orgId !== org.id))
    throw forbidden(`a CSO files ${ask.what} only to itself; consulates and cities ask other CSOs`);
  const me = await callerIdentity(db, caller);
  if (ask.requester.id !== me.memberId || ask.requester.signPublicKey !== me.signPublicKey) {
    throw badRequest('body.request.requester: must be you, with your registered signing key');
  }
  if (org.kind === 'consulate') {
    const served = new Set(JSON.parse(org.nationalities) as string[]);
    const others = ask.nationalities.filter((code) => !served.has(code));
    if (others.length) throw forbidden(`a consulate asks only about the nationals it serves; not about ${others.join(', ')}`);
  }
  const now = Date.now();
  if (Math.abs(Date.parse(ask.createdAt) - now) > CLOCK_TOLERANCE_MS)
    throw badRequest("body.request.createdAt: must be now (check this device's clock)");
  const expires = Date.parse(ask.expiresAt);
  if (expires <= now) throw badRequest('body.request.expiresAt: must be in the future');
  if (expires > now + ask.maxDays * 86_400_000) throw badRequest(`body.request.expiresAt: at most ${ask.maxDays} days from now`);
  const targets: OrgRow[] = [];
  for (const orgId of [...new Set(ask.csoOrgIds)]) {
    const target = await findOrg(db, orgId);
    if (target?.kind !== 'cso') throw badRequest(`body.request: ${orgId} is not a CSO`);
    if (ownAsk) {
      targets.push(target);
      continue;
    }
    const related = await db
      .prepare('SELECT 1 AS ok FROM relationships WHERE cso_org_id = ? AND requester_org_id = ?')
      .bind(orgId, org.id)
      .first();
    if (!related) throw forbidden(`"${target.name}" has not listed your organisation as a requester it works with`);
    targets.push(target);
  }
  return { org, me, targets };
}

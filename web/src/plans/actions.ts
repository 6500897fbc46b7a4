// The planning screens' side effects: the plan and summary routes of the API, signing with the
// member's keys. Each returns plain values; errors are the API client's ApiRequestError.
import { canonicalize, sign, toBase64 } from '#crypto';
import {
  buildSummary,
  planSigningPayload,
  summarySigningPayload,
  type CommunityPoint,
  type Plan,
  type PlanVersion,
  type Summary,
  type SummaryArea,
} from '#plans';
import { ApiRequestError, expectOk } from '../api.ts';
import { connect, type Session } from '../session.ts';
import type { Org as DirectoryOrg, PlanListItem, PlanRecord as StoredPlan } from '../api-types.ts';

/** What the plan screens use of an organisation (the server's directory entry, api-types.ts). */
export type Org = Pick<DirectoryOrg, 'id' | 'name' | 'kind'>;
export type { PlanListItem };

/** A plan as the server answers it, with its latest version (a plan is stored with its first version, so it always has one). */
export type PlanRecord = StoredPlan & { latest: NonNullable<StoredPlan['latest']> };

function withLatest(record: StoredPlan): PlanRecord {
  const { latest } = record;
  if (!latest) throw new Error(`the server sent plan ${record.id} without its latest version`);
  return { ...record, latest };
}

export async function directory(session: Session): Promise<Org[]> {
  const api = await connect(session);
  return (await expectOk(await api.api.orgs.$get())).orgs;
}

export async function listPlans(session: Session): Promise<PlanListItem[]> {
  const api = await connect(session);
  return (await expectOk(await api.api.plans.$get())).plans;
}

export async function openPlan(session: Session, planId: string): Promise<PlanRecord> {
  const api = await connect(session);
  return withLatest(await expectOk(await api.api.plans[':planId'].$get({ param: { planId } })));
}

export async function openVersion(session: Session, planId: string, version: number): Promise<PlanVersion> {
  const api = await connect(session);
  return expectOk(await api.api.plans[':planId'].versions[':version'].$get({ param: { planId, version: String(version) } }));
}

export async function createPlan(session: Session, plan: Plan, sharedWith: string[]): Promise<PlanRecord> {
  const api = await connect(session);
  return withLatest(await expectOk(await api.api.plans.$post({ json: { plan, sharedWith } })));
}

export type SaveResult = { ok: true; record: PlanRecord } | { ok: false; conflict: true; message: string };

/** Saves a new version on top of `baseVersion`; a stale base comes back as a conflict, not an error. */
export async function saveVersion(session: Session, plan: Plan, baseVersion: number, sharedWith: string[]): Promise<SaveResult> {
  const api = await connect(session);
  try {
    const record = await expectOk(
      await api.api.plans[':planId'].versions.$post({ param: { planId: plan.id }, json: { plan, baseVersion, sharedWith } }),
    );
    return { ok: true, record: withLatest(record) };
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 409) return { ok: false, conflict: true, message: error.message };
    throw error;
  }
}

/** The bytes a partner signs for a version (canonical JSON of the library's signing payload). */
export function signOffMessage(version: PlanVersion): Uint8Array {
  return canonicalize(planSigningPayload(version));
}

export async function signOffVersion(session: Session, version: PlanVersion): Promise<PlanRecord> {
  const api = await connect(session);
  const signature = toBase64(sign(signOffMessage(version), session.keys));
  return withLatest(
    await expectOk(
      await api.api.plans[':planId'].versions[':version'].signoffs.$post({
        param: { planId: version.planId, version: String(version.version) },
        json: { signature },
      }),
    ),
  );
}

/** For a requester: the CSOs that work with it. For a CSO: the requesters it works with. */
export async function relatedOrgs(session: Session): Promise<Org[]> {
  const api = await connect(session);
  return (await expectOk(await api.api.orgs[':orgId'].relationships.$get({ param: { orgId: session.identity.orgId } }))).orgs;
}

export async function latestSummary(session: Session, orgId: string): Promise<Summary | null> {
  const api = await connect(session);
  const { summaries } = await expectOk(await api.api.orgs[':orgId'].summaries.$get({ param: { orgId }, query: { latest: 'true' } }));
  return summaries[0]?.summary ?? null;
}

/** The latest summary of every CSO this organisation can read (its own, if a CSO, else the related ones). */
export async function readableSummaries(session: Session): Promise<{ orgName: string; summary: Summary }[]> {
  const sources: Org[] =
    session.identity.orgKind === 'cso'
      ? [{ id: session.identity.orgId, name: session.identity.orgName, kind: 'cso' }]
      : (await relatedOrgs(session)).filter((org) => org.kind === 'cso');
  const found = await Promise.all(sources.map(async (org) => ({ orgName: org.name, summary: await latestSummary(session, org.id) })));
  return found.filter((item): item is { orgName: string; summary: Summary } => item.summary !== null);
}

/** Builds the privacy-safe summary on this device, signs it and publishes it. Only counts leave. */
export async function publishSummary(
  session: Session,
  communities: CommunityPoint[],
  areas: SummaryArea[],
  threshold: number,
): Promise<Summary> {
  const built = buildSummary(communities, areas, {
    orgId: session.identity.orgId,
    generatedAt: new Date().toISOString(),
    threshold,
    dimensions: ['need'],
  });
  if (!built.ok) throw new Error(built.error.message);
  const api = await connect(session);
  const signature = toBase64(sign(canonicalize(summarySigningPayload(built.value)), session.keys));
  await expectOk(
    await api.api.orgs[':orgId'].summaries.$post({ param: { orgId: session.identity.orgId }, json: { summary: built.value, signature } }),
  );
  return built.value;
}

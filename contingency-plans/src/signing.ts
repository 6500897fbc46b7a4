// Canonical content to sign. The signature itself is made and checked by crypto/; this module only
// fixes WHAT is signed: a plain object with keys in sorted order, layer items sorted by id, no
// undefined members, and a `purpose` so a signature over a plan can never pass for another message.
import type { PlanVersion, SignOff } from './model.ts';
import type { Summary } from './summary.ts';

export const PLAN_SIGNING_PURPOSE = 'migrant-buffer/contingency-plan-version/v1' as const;
export const SUMMARY_SIGNING_PURPOSE = 'migrant-buffer/privacy-safe-summary/v1' as const;

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

/** Deep copy with object keys sorted and undefined members dropped; arrays keep their order. */
export function canonical(value: unknown): Plain {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('cannot sign a non-finite number');
    return value;
  }
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object') {
    const result: { [key: string]: Plain } = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) result[key] = canonical(member);
    }
    return result;
  }
  throw new TypeError(`cannot sign a ${typeof value}`);
}

const byId = <Item extends { id: string }>(items: Item[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** What partners sign to approve one version of a plan. */
export function planSigningPayload(version: PlanVersion): Plain {
  const plan = version.plan;
  return canonical({
    purpose: PLAN_SIGNING_PURPOSE,
    planId: version.planId,
    version: version.version,
    author: version.author,
    createdAt: version.createdAt,
    plan: {
      ...plan,
      partners: [...plan.partners].sort(),
      hazardZones: byId(plan.hazardZones),
      assemblyPoints: byId(plan.assemblyPoints),
      shelters: byId(plan.shelters),
      routes: byId(plan.routes),
      borderCrossings: byId(plan.borderCrossings),
      contacts: byId(plan.contacts),
      // Trigger actions keep their order: it is the order they are carried out in.
      triggers: byId(plan.triggers),
      tasks: byId(plan.tasks),
    },
  });
}

/** What a CSO signs when it publishes a summary. */
export function summarySigningPayload(summary: Summary): Plain {
  return canonical({ purpose: SUMMARY_SIGNING_PURPOSE, ...summary });
}

export interface SignOffState {
  /** Partners who signed this version. */
  signed: string[];
  /** Partners who signed an earlier version only: they need to look again. */
  stale: string[];
  /** Partners who never signed. */
  missing: string[];
}

export function signOffState(version: Pick<PlanVersion, 'version' | 'plan'>, signOffs: SignOff[]): SignOffState {
  const latest = new Map<string, number>();
  for (const signOff of signOffs) latest.set(signOff.partner, Math.max(latest.get(signOff.partner) ?? 0, signOff.version));
  const partners = [...version.plan.partners].sort();
  return {
    signed: partners.filter((partner) => latest.get(partner) === version.version),
    stale: partners.filter((partner) => latest.has(partner) && latest.get(partner)! < version.version),
    missing: partners.filter((partner) => !latest.has(partner)),
  };
}

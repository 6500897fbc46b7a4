import { describe, expect, it } from 'vitest';
import { planVersion } from './model.ts';
import { samplePlan } from './sample-plan.ts';
import { canonical, PLAN_SIGNING_PURPOSE, planSigningPayload, signOffState } from './signing.ts';

const version = (plan = samplePlan()) => ({
  planId: plan.id,
  version: 3,
  author: 'A. Officer',
  createdAt: '2026-11-23T09:00:00.000Z',
  plan,
});

describe('planSigningPayload', () => {
  it('is the same whatever the order of keys and layer items, and differs when content differs', () => {
    const plan = samplePlan();
    const shuffled = samplePlan();
    shuffled.assemblyPoints.reverse();
    shuffled.partners.reverse();
    const reordered = Object.fromEntries(Object.entries(shuffled).reverse()) as typeof shuffled;
    expect(JSON.stringify(planSigningPayload(version(reordered)))).toBe(JSON.stringify(planSigningPayload(version(plan))));
    const changed = samplePlan();
    changed.assemblyPoints[0]!.capacity = 401;
    expect(JSON.stringify(planSigningPayload(version(changed)))).not.toBe(JSON.stringify(planSigningPayload(version(plan))));
    const payload = planSigningPayload(version(plan)) as Record<string, unknown>;
    expect(Object.keys(payload)).toEqual(['author', 'createdAt', 'plan', 'planId', 'purpose', 'version']);
    expect(payload.purpose).toBe(PLAN_SIGNING_PURPOSE);
    expect(planVersion.safeParse(version(plan)).success).toBe(true);
  });

  it('drops undefined members, keeps action order, refuses non-finite numbers', () => {
    expect(canonical({ b: 1, a: undefined, c: [3, 1, 2] })).toEqual({ b: 1, c: [3, 1, 2] });
    expect(() => canonical({ a: Number.NaN })).toThrow(TypeError);
  });
});

describe('signOffState', () => {
  it('sorts partners into signed, stale and missing', () => {
    const state = signOffState(version(), [
      { partner: 'Consulate of Nepal', version: 3, signedAt: '2026-11-23T10:00:00.000Z' },
      { partner: 'Embassy of Bangladesh', version: 2, signedAt: '2026-10-01T10:00:00.000Z' },
    ]);
    expect(state).toEqual({ signed: ['Consulate of Nepal'], stale: ['Embassy of Bangladesh'], missing: ['Migrant Workers Network Libya'] });
  });
});

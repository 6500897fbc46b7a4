// Contingency plans and privacy-safe summaries on the real Worker + D1.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { canonicalize, sign, toBase64 } from '#crypto';
import { buildSummary } from '#plans/summary';
import { samplePlan } from '#plans/sample-plan';
import { planSigningPayload, summarySigningPayload } from '#plans/signing';
import type { PlanVersion } from '#plans/model';
import { demoRecords, loadScenario } from '#fixtures';
import { addPartner, createOrg, type Actor } from '../../scripts/lib/actors.ts';
import { api } from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');

let city: Actor;
let consulate: Actor;
let cso: Actor;
let outsider: Actor;

beforeAll(async () => {
  city = await createOrg(baseUrl, { kind: 'city', name: 'Benghazi Crisis Cell (plans)' });
  consulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Embassy of Nepal (plans)', nationalities: ['NP'] });
  cso = await createOrg(baseUrl, { name: 'CSO (plans)' });
  outsider = await createOrg(baseUrl, { kind: 'city', name: 'Another city' });
  const listed = await addPartner(cso, consulate);
  expect(listed.status).toBe(200);
});

describe('plans', () => {
  it('are versioned: a save on a stale version is refused, nothing is overwritten', async () => {
    const plan = { ...samplePlan(), id: crypto.randomUUID() };
    const created = await (await api(city)).plans.$post({ json: { plan: plan as never, sharedWith: [consulate.orgId] } });
    expect(created.status).toBe(201);
    const cityApi = await api(city);
    const v2 = await cityApi.plans[':planId'].versions.$post({
      param: { planId: plan.id },
      json: { plan: { ...plan, title: 'Derna evacuation v2' } as never, baseVersion: 1 },
    });
    expect(v2.status).toBe(201);
    const stale = await cityApi.plans[':planId'].versions.$post({
      param: { planId: plan.id },
      json: { plan: { ...plan, title: 'A stale edit' } as never, baseVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toMatch(/version 2 was saved/);
    const latest = (await (await cityApi.plans[':planId'].$get({ param: { planId: plan.id } })).json()) as {
      latestVersion: number;
      versions: unknown[];
      latest: PlanVersion;
    };
    expect(latest.latestVersion).toBe(2);
    expect(latest.versions).toHaveLength(2);
    expect(latest.latest.plan.title).toBe('Derna evacuation v2');
    const first = (await (
      await cityApi.plans[':planId'].versions[':version'].$get({ param: { planId: plan.id, version: '1' } })
    ).json()) as PlanVersion;
    expect(first.plan.title).toBe(plan.title);
  });

  it('are refused when they break the plan model, naming the problem', async () => {
    const plan = { ...samplePlan(), id: crypto.randomUUID(), status: 'finished' };
    const response = await (await api(city)).plans.$post({ json: { plan: plan as never, sharedWith: [] } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/body\.plan\.status/);
  });

  it('are signed off by partners with a signature over the version; outsiders see nothing', async () => {
    const plan = { ...samplePlan(), id: crypto.randomUUID() };
    await (await api(city)).plans.$post({ json: { plan: plan as never, sharedWith: [consulate.orgId] } });
    const consulateApi = await api(consulate);
    const version = (await (
      await consulateApi.plans[':planId'].versions[':version'].$get({ param: { planId: plan.id, version: '1' } })
    ).json()) as PlanVersion;
    const forged = await consulateApi.plans[':planId'].versions[':version'].signoffs.$post({
      param: { planId: plan.id, version: '1' },
      json: { signature: toBase64(sign(canonicalize(planSigningPayload(version)), outsider.keys)) },
    });
    expect(forged.status).toBe(401);
    const signed = await consulateApi.plans[':planId'].versions[':version'].signoffs.$post({
      param: { planId: plan.id, version: '1' },
      json: { signature: toBase64(sign(canonicalize(planSigningPayload(version)), consulate.keys)) },
    });
    expect(signed.status).toBe(201);
    expect(((await signed.json()) as { signOffs: { orgId: string }[] }).signOffs.map((signOff) => signOff.orgId)).toEqual([
      consulate.orgId,
    ]);
    expect((await (await api(outsider)).plans[':planId'].$get({ param: { planId: plan.id } })).status).toBe(404);
    const partnerEdit = await consulateApi.plans[':planId'].versions.$post({
      param: { planId: plan.id },
      json: { plan: plan as never, baseVersion: 1 },
    });
    expect(partnerEdit.status).toBe(403);
  });
});

describe('privacy-safe summaries', () => {
  function demoSummary(threshold = 5) {
    const scenario = loadScenario('libya-2011');
    const records = demoRecords('libya-2011');
    const points = records.communities.map((community) => ({
      id: community.id,
      lon: community.location.lon,
      lat: community.location.lat,
      headcount: community.headcount.total,
      nationalities: community.nationalities,
      needs: community.needs,
      vulnerabilities: community.vulnerabilities,
    }));
    const areas = scenario.boundaries.features.map((feature) => ({
      id: String(feature.properties.id),
      name: String(feature.properties.name),
      geometry: feature.geometry,
    }));
    const built = buildSummary(points as never, areas as never, {
      orgId: cso.orgId,
      generatedAt: new Date().toISOString(),
      threshold,
      dimensions: ['need'],
    });
    if (!built.ok) throw new Error(JSON.stringify(built));
    return built.value;
  }

  it('are published signed, and read by the requesters the CSO works with, and no one else', async () => {
    const summary = demoSummary();
    const signature = toBase64(sign(canonicalize(summarySigningPayload(summary)), cso.keys));
    const published = await (await api(cso)).orgs[':orgId'].summaries.$post({
      param: { orgId: cso.orgId },
      json: { summary: summary as never, signature },
    });
    expect(published.status).toBe(201);
    const read = (await (
      await (await api(consulate)).orgs[':orgId'].summaries.$get({ param: { orgId: cso.orgId }, query: {} })
    ).json()) as {
      summaries: { summary: { cells: unknown[] }; signature: string }[];
    };
    expect(read.summaries).toHaveLength(1);
    expect(read.summaries[0]!.summary.cells.length).toBeGreaterThan(0);
    expect((await (await api(outsider)).orgs[':orgId'].summaries.$get({ param: { orgId: cso.orgId }, query: {} })).status).toBe(404);
  });

  it('are refused when a count under the threshold is published', async () => {
    const summary = demoSummary();
    const cell = summary.cells.find((candidate) => !candidate.suppressed)!;
    const leaky = { ...summary, cells: summary.cells.map((candidate) => (candidate === cell ? { ...candidate, count: 2 } : candidate)) };
    const signature = toBase64(sign(canonicalize(summarySigningPayload(leaky)), cso.keys));
    const response = await (await api(cso)).orgs[':orgId'].summaries.$post({
      param: { orgId: cso.orgId },
      json: { summary: leaky as never, signature },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/under the threshold/);
  });
});

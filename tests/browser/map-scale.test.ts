// 100,000 communities on the map in real Chromium, through the app's own map layers and filters
// (web/bench/harness.ts, the page the map benchmarks use): every community is counted in the
// clusters drawn, a filter leaves exactly the matching ones, the heat layer draws, and the Leaflet
// light map holds the same 100,000.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness } from '../../bench/groups/map.ts';
import { screenshot } from '../support/browser.ts';

let harness: Awaited<ReturnType<typeof openHarness>>;
const rendered = () =>
  harness.page.evaluate(() =>
    (
      window as unknown as { harness: { maplibreRendered(): { clusters: number; points: number; total: number } } }
    ).harness.maplibreRendered(),
  );

beforeAll(async () => {
  harness = await openHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('the map at scale', () => {
  it('draws 100,000 communities as clusters that count every one of them', async () => {
    expect(await harness.call('generate', 100_000)).toBe(100_000);
    const milliseconds = await harness.call('maplibreFirstRender');
    expect(milliseconds).toBeGreaterThan(0);
    const drawn = await rendered();
    expect(drawn.clusters).toBeGreaterThan(3);
    expect(drawn.total).toBe(100_000);
    await screenshot(harness.page, 'map-100k-clusters');
  });

  it('filters on one need, then on two things at once, showing exactly the matching communities', async () => {
    const water = { nationality: null, need: 'water', status: null, since: null };
    await harness.call('maplibreFilter', water);
    const matching = await harness.call('countMatching', water);
    expect(matching).toBeGreaterThan(1000);
    expect(matching).toBeLessThan(100_000);
    expect((await rendered()).total).toBe(matching);
    await screenshot(harness.page, 'map-100k-filter-water');
    const two = { nationality: 'NP', need: 'water', status: null, since: null };
    await harness.call('maplibreFilter', two);
    expect((await rendered()).total).toBe(await harness.call('countMatching', two));
    await harness.call('maplibreFilter', { nationality: null, need: null, status: null, since: null });
    expect((await rendered()).total).toBe(100_000);
  });

  it('opens a tapped cluster to the area of its communities, down to single ones that open their record', async () => {
    type Tap = {
      count: number;
      zoomBefore: number;
      zoomAfter: number;
      inView: boolean;
      drawn: { clusters: number; points: number; total: number };
    };
    const tapCluster = () =>
      harness.page.evaluate(() =>
        (window as unknown as { harness: { maplibreTapLargestCluster(): Promise<Tap> } }).harness.maplibreTapLargestCluster(),
      );
    const tapPoint = () =>
      harness.page.evaluate(() =>
        (window as unknown as { harness: { maplibreTapPoint(): { id: string; pixelsAway: number } | null } }).harness.maplibreTapPoint(),
      );
    let opened = null;
    for (let taps = 0; taps < 8 && !opened; taps++) {
      const tap = await tapCluster();
      expect(tap.zoomAfter).toBeGreaterThan(tap.zoomBefore);
      expect(tap.inView).toBe(true);
      // Every community of the tapped cluster is in the new view, in smaller clusters or on its own.
      expect(tap.drawn.total).toBeGreaterThanOrEqual(tap.count);
      expect(tap.drawn.clusters + tap.drawn.points).toBeGreaterThan(1);
      opened = await tapPoint();
    }
    expect(opened).not.toBeNull();
    expect(opened!.id).toMatch(/^[0-9a-f-]{36}$/);
    // The largest point is 14 px across its radius: the community opened is the one under the finger.
    expect(opened!.pixelsAway).toBeLessThanOrEqual(14);
    await screenshot(harness.page, 'map-100k-opened-cluster');
  });

  it('follows the view: far away and zoomed in, the communities there are drawn', async () => {
    type Jump = { own: boolean; covering: boolean; drawn: number };
    const jump = (index: number, zoom: number) =>
      harness.page.evaluate(`window.harness.maplibreJumpTo(${index}, ${zoom})`) as Promise<Jump>;
    // Zoomed in past clustering (above zoom 16), the map holds only the communities around the view:
    // each jump lands somewhere new, and the community there must have been sent.
    for (const index of [0, 25_000, 50_000, 99_999]) {
      const far = await jump(index, 17);
      expect(far.own, `community ${index} at zoom 17`).toBe(true);
    }
    // At clustered zoom levels the community is inside a cluster drawn near it, or on its own.
    for (const [index, zoom] of [
      [77_777, 9],
      [12_345, 13],
      [99_999, 15],
    ] as const) {
      const clustered = await jump(index, zoom);
      expect(clustered.own || clustered.covering, `community ${index} at zoom ${zoom}`).toBe(true);
    }
  });

  it('draws the heat layer', async () => {
    await harness.call('maplibreFirstRender');
    await harness.page.evaluate(() => (window as unknown as { harness: { maplibreHeat(on: boolean): void } }).harness.maplibreHeat(true));
    await harness.page.waitForTimeout(1500);
    await screenshot(harness.page, 'map-100k-heat');
    // Each cluster glows by its share of the most people in one cluster: the largest at full weight.
    const weights = (await harness.page.evaluate('window.harness.heatWeights()')) as { people: number; weight: number }[];
    expect(weights.length).toBeGreaterThan(3);
    const most = Math.max(...weights.map((entry) => entry.people));
    for (const { people, weight } of weights) expect(weight).toBeCloseTo(people / most, 9);
    expect(Math.max(...weights.map((entry) => entry.weight))).toBe(1);
    expect(harness.errors).toEqual([]);
  });

  it('holds the same 100,000 in the Leaflet light map', async () => {
    await harness.call('leafletFirstRender');
    const markers = await harness.page.evaluate(() => document.querySelectorAll('.marker-cluster').length);
    expect(markers).toBeGreaterThan(3);
    const counted = await harness.page.evaluate(() =>
      [...document.querySelectorAll('.marker-cluster span')].reduce((sum, element) => sum + Number(element.textContent), 0),
    );
    expect(counted).toBe(100_000);
    await screenshot(harness.page, 'map-100k-leaflet');
    expect(harness.errors).toEqual([]);
  });
});

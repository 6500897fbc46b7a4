// map.first_render_100k_ms / map.pan_100k_ms / map.filter_100k_ms: 100,000 communities from the
// fixture generator on the app's MapLibre layers (clustered by the app over typed arrays, one zoom
// level at a time, and only that level's clusters handed to MapLibre, decision 0408; a filter sets
// each sent cluster's count of matches as a feature state) against Leaflet + leaflet.markercluster
// on the same features, in the same Chromium page, alternating run by run. Durations are measured
// inside the page.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildHarness, serveDirectory } from '../../web/bench/serve.ts';
import { launchChromium } from '../../tests/support/browser.ts';
import { median, ratioOf, round, type BenchGroup, type Metric } from '../lib.ts';

const COUNT = 100_000;
const RUNS = Number(process.env.BENCH_MAP_RUNS ?? 3);
const command = 'npm run bench -- map';
const filters = [
  { nationality: null, need: 'water', status: null, since: null },
  { nationality: 'NP', need: null, status: null, since: null },
  { nationality: null, need: null, status: 'stranded', since: null },
];
/** Two at once: the same path as one (each cluster's count of matches), reported in the filter's note. */
const combined = { nationality: 'NP', need: 'water', status: null, since: null };

type Harness = { harness: Record<string, (...args: unknown[]) => Promise<number> | number> };
const call = (page: Page, name: string, ...args: unknown[]) =>
  page.evaluate(([method, rest]) => (window as unknown as Harness).harness[method as string]!(...(rest as unknown[])), [
    name,
    args,
  ] as const) as Promise<number>;

export async function openHarness() {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'buffer-harness-'));
  await buildHarness(outDir);
  const server = await serveDirectory(outDir);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
  return {
    page,
    errors,
    call: (name: string, ...args: unknown[]) => call(page, name, ...args),
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

function metric(name: string, ours: number[], baseline: number[], baselineName: string, note: string): Metric {
  const value = round(median(ours));
  const baselineValue = round(median(baseline));
  return {
    name,
    value,
    unit: 'ms',
    better: 'lower',
    baseline: baselineName,
    baselineValue,
    ratio: ratioOf('lower', value, baselineValue),
    command,
    min: round(Math.min(...ours)),
    max: round(Math.max(...ours)),
    note,
  };
}

const group: BenchGroup = {
  name: 'map',
  async run() {
    const harness = await openHarness();
    try {
      await harness.call('generate', COUNT);
      const first = { ours: [] as number[], baseline: [] as number[] };
      const filter = { ours: [] as number[], baseline: [] as number[] };
      // Pans forward (into tiles MapLibre has not built yet) and back: together the metric, apart in the note.
      const forward = { ours: [] as number[], baseline: [] as number[] };
      const back = { ours: [] as number[], baseline: [] as number[] };
      const frames: number[] = [];
      // Right and down, then back: the view returns to where it started for the filters.
      const pans: [number, number][] = [
        [400, 250],
        [-400, -250],
      ];
      const twoAtOnce = { ours: [] as number[], baseline: [] as number[] };
      // Warm-up of both (code compiled, basemap parsed once).
      await harness.call('maplibreFirstRender');
      await harness.call('leafletFirstRender');
      for (let run = 0; run < RUNS; run++) {
        first.ours.push(await harness.call('maplibreFirstRender'));
        for (const [index, [dx, dy]] of pans.entries()) (index === 0 ? forward : back).ours.push(await harness.call('maplibrePan', dx, dy));
        for (const item of filters) filter.ours.push(await harness.call('maplibreFilter', item));
        twoAtOnce.ours.push(await harness.call('maplibreFilter', combined));
        first.baseline.push(await harness.call('leafletFirstRender'));
        for (const [index, [dx, dy]] of pans.entries())
          (index === 0 ? forward : back).baseline.push(await harness.call('leafletPan', dx, dy));
        for (const item of filters) filter.baseline.push(await harness.call('leafletFilter', item));
        twoAtOnce.baseline.push(await harness.call('leafletFilter', combined));
      }
      // What a frame of the map costs on this renderer, after a fresh first render.
      for (let run = 0; run < 3; run++) {
        await harness.call('maplibreFirstRender');
        frames.push(await harness.call('maplibreFrameMs'));
      }
      const matching = [];
      for (const item of [...filters, combined]) matching.push(await harness.call('countMatching', item));
      if (harness.errors.length) throw new Error(`page errors: ${harness.errors.join('; ')}`);
      const data = `${COUNT.toLocaleString('en')} communities (fixtures, Libya 2011, seed bench-map), 1200x760 map on the Natural Earth basemap, headless Chromium with SwiftShader (software WebGL) on ${os.cpus().length} shared cores`;
      return {
        metrics: [
          metric(
            'map.first_render_100k_ms',
            first.ours,
            first.baseline,
            'Leaflet 1.9 + leaflet.markercluster 1.5 (canvas circle markers), same features, same page',
            `${data}; from handing over the list (MapLibre: the list indexed, the view's zoom level clustered and its clusters sent, as MapView does) until MapLibre's first idle with the clusters drawn / Leaflet's next frame after addLayers. Median of ${RUNS} runs after a warm-up.`,
          ),
          metric(
            'map.pan_100k_ms',
            [...forward.ours, ...back.ours],
            [...forward.baseline, ...back.baseline],
            'Leaflet + markercluster: the same pan, to the next frame after moveend',
            `${data}; a pan of 400x250 px without animation from the first view and back, to the map idle again with the newly visible clusters drawn. Median of ${RUNS * 2}. Forward (tiles not built yet) ${round(median(forward.ours))} ms vs Leaflet ${round(median(forward.baseline))} ms; back (tiles built) ${round(median(back.ours))} ms vs ${round(median(back.baseline))} ms. A forward pan takes two MapLibre frames (one before the worker's new tiles, one with them), and here one frame of the map costs ${round(median(frames))} ms (redrawn without pause, median of 3): two such frames are most of the forward figure.`,
          ),
          metric(
            'map.filter_100k_ms',
            filter.ours,
            filter.baseline,
            'Leaflet + markercluster: clearLayers then addLayers of the matching markers',
            `${data}; filters need=water, nationality=NP, status=stranded (${matching.join(', ')} communities kept), from the filter change to the map idle again. Median of ${RUNS * filters.length}. A filter counts each cluster's matching communities in one pass and sets them as feature states (hidden when none; each point hidden unless it matches), read by the paint expressions: no re-clustering and no tile rebuilt. Two filters at once (NP and water, ${matching[3]} kept) take the same path: median ${round(median(twoAtOnce.ours))} ms vs Leaflet ${round(median(twoAtOnce.baseline))} ms.`,
          ),
        ],
      };
    } finally {
      await harness.close();
    }
  },
};

export default group;

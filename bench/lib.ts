// Shared pieces of `npm run bench`: the result format of ../shared/brief/bench.md and a timer that
// alternates ours with the baseline, so a noisy machine moves both.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Metric {
  name: string;
  value: number;
  unit: string;
  better: 'lower' | 'higher';
  baseline?: string;
  baselineValue?: number;
  /** How many times better than the baseline we are (>1 means we win). */
  ratio?: number;
  command: string;
  min?: number;
  max?: number;
  note?: string;
}

export interface Skipped {
  skipped: string;
  group: string;
}

export type GroupResult = { metrics: Metric[]; skipped?: Skipped[] };

export interface BenchGroup {
  name: string;
  run(): Promise<GroupResult>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function ratioOf(better: 'lower' | 'higher', value: number, baselineValue: number): number {
  const ratio = better === 'lower' ? baselineValue / value : value / baselineValue;
  return Math.round(ratio * 1000) / 1000;
}

/** Runs `ours` and `baseline` alternately `runs` times after one warm-up each; medians in ms. */
let collector: (() => void) | null = null;

/** A full garbage collection (V8's gc(), made available once with --expose-gc). */
export function collectGarbage(): void {
  if (!collector) {
    setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as () => void;
  }
  collector();
}

/**
 * Times `ours` and `baseline` alternately, `runs` times each after one warm-up of each. With
 * `collect`, every timed call starts from a collected heap: the garbage of the call before (100,000
 * envelopes, say) is not collected inside whichever call happens to come next.
 */
export async function timeAlternating(
  ours: () => unknown | Promise<unknown>,
  baseline: () => unknown | Promise<unknown>,
  runs = 5,
  options: { collect?: boolean } = {},
): Promise<{ ours: number[]; baseline: number[] }> {
  await ours();
  await baseline();
  const times = { ours: [] as number[], baseline: [] as number[] };
  const timed = async (f: () => unknown | Promise<unknown>, into: number[]) => {
    if (options.collect) collectGarbage();
    const start = performance.now();
    await f();
    into.push(performance.now() - start);
  };
  for (let i = 0; i < runs; i++) {
    await timed(ours, times.ours);
    await timed(baseline, times.baseline);
  }
  return times;
}

/** A metric comparing ours with a baseline from two lists of timings in ms. */
export function timedMetric(name: string, times: { ours: number[]; baseline: number[] }, baseline: string, command: string): Metric {
  const value = round(median(times.ours));
  const baselineValue = round(median(times.baseline));
  return {
    name,
    value,
    unit: 'ms',
    better: 'lower',
    baseline,
    baselineValue,
    ratio: ratioOf('lower', value, baselineValue),
    command,
    min: round(Math.min(...times.ours)),
    max: round(Math.max(...times.ours)),
  };
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

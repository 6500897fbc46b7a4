import { describe, expect, it } from 'vitest';
import { demoRecords } from '#fixtures';
import { communityFeatures, filterFeatures } from './features.ts';
import { noFilter } from './filters.ts';
import { countIn, countLayout, countPropertyFor, clusterCounts, mapFeatures, nationalitiesOf, sameLayout } from './layers.ts';

const { communities } = demoRecords();
const features = communityFeatures(communities);

describe('packed cluster counts', () => {
  it('sums every community into its own run of bits, and a sum unpacks to the count of matches for every name', () => {
    const layout = countLayout(nationalitiesOf(features), features.length);
    const slim = mapFeatures(features, features, layout);
    expect(slim).toHaveLength(features.length);
    // What the clusterer does: add up the packed numbers of the communities in a cluster.
    const packs = Object.keys(clusterCounts(layout)).filter((name) => name !== 'people');
    expect(packs.length).toBe(Math.ceil(layout.names.length / layout.perPack));
    const sums: Record<string, number> = {};
    for (const feature of slim) for (const pack of packs) sums[pack] = (sums[pack] ?? 0) + Number(feature.properties[pack]);
    for (const name of layout.names) {
      const [dimension, value] = [name.slice(0, name.indexOf('_')), name.slice(name.indexOf('_') + 1)];
      const filter = { ...noFilter, [dimension]: value };
      expect(countPropertyFor(filter)).toBe(name);
      expect(countIn(sums, layout, name), name).toBe(filterFeatures(features, filter).length);
    }
    // A single community unpacks to 1 or 0 for each name.
    for (const [index, feature] of slim.entries()) {
      for (const name of layout.names) expect(countIn(feature.properties, layout, name)).toBeLessThanOrEqual(1);
      expect(feature.id).toBe(features[index]!.id);
    }
  });

  it('sends no record id or date to the map, only what the layers draw and count', () => {
    const layout = countLayout(nationalitiesOf(features), features.length);
    const [first] = mapFeatures(features, features, layout);
    expect(Object.keys(first!.properties).sort()).toEqual(['headcount', 'status', ...Object.keys(clusterCounts(layout)).filter((name) => name !== 'people')].sort());
  });

  it('keeps sums exact at a million communities: fewer counts per number, all within 53 bits', () => {
    const layout = countLayout(['NP', 'EG'], 1_000_000);
    expect(layout.bits).toBe(20);
    expect(layout.bits * layout.perPack).toBeLessThanOrEqual(53);
    // Every count at its largest, packed: still an exact integer, and each unpacks to itself.
    const full: Record<string, number> = {};
    layout.names.forEach((name, index) => {
      const pack = `c${Math.floor(index / layout.perPack)}`;
      full[pack] = (full[pack] ?? 0) + 1_000_000 * 2 ** (layout.bits * (index % layout.perPack));
    });
    for (const value of Object.values(full)) expect(Number.isSafeInteger(value)).toBe(true);
    for (const name of layout.names) expect(countIn(full, layout, name)).toBe(1_000_000);
    expect(() => countLayout([], 2 ** 27)).toThrow(/too many communities/);
  });

  it('picks a subset\'s slim copies by id, and tells layouts apart', () => {
    const layout = countLayout(nationalitiesOf(features), features.length);
    const all = mapFeatures(features, features, layout);
    const subset = features.filter((_, index) => index % 3 === 0);
    const picked = mapFeatures(features, subset, layout);
    expect(picked.map((feature) => feature.id)).toEqual(subset.map((feature) => feature.id));
    expect(picked[1]).toBe(all[3]);
    expect(sameLayout(layout, countLayout(layout.nationalities, features.length))).toBe(true);
    expect(sameLayout(layout, countLayout(layout.nationalities, 1_000_000))).toBe(false);
    expect(sameLayout(layout, countLayout([], features.length))).toBe(false);
  });
});

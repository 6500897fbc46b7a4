import { describe, expect, it } from 'vitest';
import { demoRecords } from '#fixtures';
import { communityFeatures, filterFeatures, trailFeatures } from './features.ts';
import { noFilter } from './filters.ts';

const { communities, persons } = demoRecords();
const features = communityFeatures(communities);

describe('map features and filters', () => {
  it('keeps everything with no filter and only matching communities with one', () => {
    expect(filterFeatures(features, noFilter)).toHaveLength(communities.length);
    const water = filterFeatures(features, { ...noFilter, need: 'water' });
    expect(water.length).toBe(communities.filter((community) => community.needs.includes('water')).length);
    expect(water.length).toBeGreaterThan(0);
    const combined = filterFeatures(features, { nationality: 'NP', need: 'medical', status: 'stranded', since: null });
    const expected = communities.filter(
      (c) => c.nationalities.some((n) => n.code === 'NP') && c.needs.includes('medical') && c.status === 'stranded',
    );
    expect(combined.map((feature) => feature.properties.id).sort()).toEqual(expected.map((c) => c.id).sort());
  });

  it('gives features ids 1..n, their place in the list plus one (the map draws single communities under them)', () => {
    expect(features.map((feature) => feature.id)).toEqual(features.map((_, index) => index + 1));
  });

  it('filters by date of the last update', () => {
    const dates = communities.map((community) => community.updatedAt).sort();
    const middle = dates[Math.floor(dates.length / 2)]!;
    const recent = filterFeatures(features, { ...noFilter, since: middle });
    expect(recent.length).toBe(dates.filter((date) => date >= middle).length);
  });

  it('draws a trail through every located whereabouts entry, in order', () => {
    const moved = persons.find((person) => person.history.filter((entry) => entry.location).length >= 3)!;
    const trail = trailFeatures(moved);
    const located = moved.history.filter((entry) => entry.location);
    expect(trail[0]!.geometry.type).toBe('LineString');
    expect((trail[0]!.geometry as GeoJSON.LineString).coordinates).toHaveLength(located.length);
    expect(trail.filter((feature) => feature.geometry.type === 'Point')).toHaveLength(located.length);
  });
});

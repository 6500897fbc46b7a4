// Communities as GeoJSON features, built once per set of records and reused by every filter, the
// MapLibre map, the Leaflet light map and the benchmarks.
import type { Community, RecordBody, Whereabouts } from '#model/records';
import { matchesFilter, propertiesOf, type CommunityProperties, type MapFilter } from './filters.ts';

export type CommunityFeature = GeoJSON.Feature<GeoJSON.Point, CommunityProperties>;

/**
 * Features with ids 1..n (their place in the list, plus one): the map keeps a filter's per-feature
 * state under these ids. They stay below the ids of MapLibre's clusters, which start above n, and
 * are never 0 (which the clusterer would drop).
 */
export function communityFeatures(communities: readonly Community[]): CommunityFeature[] {
  return communities.map((community, index) => ({
    type: 'Feature',
    id: index + 1,
    properties: propertiesOf(community),
    geometry: { type: 'Point', coordinates: [community.location.lon, community.location.lat] },
  }));
}

export function filterFeatures(features: readonly CommunityFeature[], filter: MapFilter): CommunityFeature[] {
  return features.filter((feature) => matchesFilter(feature.properties, filter));
}

export function collection<Geometry extends GeoJSON.Geometry, Properties>(
  features: GeoJSON.Feature<Geometry, Properties>[],
): GeoJSON.FeatureCollection<Geometry, Properties> {
  return { type: 'FeatureCollection', features };
}

/** A record's whereabouts as a trail: one line through the located entries, and a point for each. */
export function trailFeatures(record: RecordBody | null): GeoJSON.Feature[] {
  if (!record) return [];
  const located = record.history.filter((entry): entry is Whereabouts & { location: NonNullable<Whereabouts['location']> } =>
    Boolean(entry.location),
  );
  const features: GeoJSON.Feature[] = located.map((entry, index) => ({
    type: 'Feature',
    properties: { status: entry.status, order: index + 1, last: index === located.length - 1 },
    geometry: { type: 'Point', coordinates: [entry.location.lon, entry.location.lat] },
  }));
  if (located.length >= 2) {
    features.unshift({
      type: 'Feature',
      properties: { line: true },
      geometry: { type: 'LineString', coordinates: located.map((entry) => [entry.location.lon, entry.location.lat]) },
    });
  }
  return features;
}

/** Where a record is: its own location, else the last located whereabouts. */
export function positionOf(record: RecordBody): [number, number] | null {
  if (record.location) return [record.location.lon, record.location.lat];
  const last = [...record.history].reverse().find((entry) => entry.location);
  return last?.location ? [last.location.lon, last.location.lat] : null;
}

// Clustering of the communities on the operations map, done here over typed arrays instead of in
// MapLibre's worker (docs/decisions/0408). MapLibre's clustered GeoJSON source copies every
// community to its worker and clusters all zoom levels before it draws anything: about 1.2 s for
// 100,000 in headless Chromium. Here the points are projected once into typed arrays, one zoom level
// is clustered when it is first needed (a few milliseconds for 100,000), and MapLibre gets only the
// clusters around the view, a few hundred or thousand small features.
//
// The rule per zoom level is the greedy one of supercluster (MapLibre's clusterer) without its
// hierarchy: points are visited in a fixed order; an unclaimed point starts a cluster and claims
// every unclaimed point within the cluster radius of it; the cluster is drawn at the mean position
// of its points. A grid with cells of the radius finds the candidates: they are in the 3x3 cells
// around the seed, and in the sorted order the three cells of one grid row are one run.
//
// Each point's cluster is kept, so a filter's count per cluster is one pass over the points (any
// filter: several at once, a date), and the clusters themselves do not move. Pure: no MapLibre, no DOM.
import type { CommunityFeature } from './features.ts';

/** Pixels per tile side in MapLibre's GeoJSON tiles: a radius in pixels is relative to it. */
const tilePixels = 512;
export const clusterRadius = 45;
/**
 * Above this zoom every community is drawn on its own. At 16 a cluster spans about 50 m: closer than
 * that, communities drawn on their own would cover each other.
 */
export const clusterMaxZoom = 16;
const maxLatitude = 85.051129;

export function mercatorX(lon: number): number {
  return Math.min(1, Math.max(0, lon / 360 + 0.5));
}

export function mercatorY(lat: number): number {
  const sin = Math.sin((Math.max(-maxLatitude, Math.min(maxLatitude, lat)) * Math.PI) / 180);
  return Math.min(1, Math.max(0, 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)));
}

export function longitudeOf(x: number): number {
  return x * 360 - 180;
}

export function latitudeOf(y: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
}

/** The communities as columns: position (degrees and Web Mercator 0..1) and people. */
export interface PointIndex {
  features: readonly CommunityFeature[];
  size: number;
  lon: Float64Array;
  lat: Float64Array;
  x: Float64Array;
  y: Float64Array;
  people: Float64Array;
  /** The communities' extent in Web Mercator: west, north, east, south. */
  extent: [number, number, number, number];
}

export function indexPoints(features: readonly CommunityFeature[]): PointIndex {
  const size = features.length;
  const index: PointIndex = {
    features,
    size,
    lon: new Float64Array(size),
    lat: new Float64Array(size),
    x: new Float64Array(size),
    y: new Float64Array(size),
    people: new Float64Array(size),
    extent: [1, 1, 0, 0],
  };
  for (let i = 0; i < size; i++) {
    const feature = features[i]!;
    const [lon, lat] = feature.geometry.coordinates as [number, number];
    index.lon[i] = lon;
    index.lat[i] = lat;
    index.x[i] = mercatorX(lon);
    index.y[i] = mercatorY(lat);
    index.people[i] = feature.properties.headcount;
    const extent = index.extent;
    if (index.x[i]! < extent[0]) extent[0] = index.x[i]!;
    if (index.y[i]! < extent[1]) extent[1] = index.y[i]!;
    if (index.x[i]! > extent[2]) extent[2] = index.x[i]!;
    if (index.y[i]! > extent[3]) extent[3] = index.y[i]!;
  }
  return index;
}

/** The clusters of one zoom level. A cluster of one is a single community (`seed` is its place in the list). */
export interface ZoomClusters {
  zoom: number;
  length: number;
  /** Mean position of the members, Web Mercator. */
  x: Float64Array;
  y: Float64Array;
  size: Uint32Array;
  people: Float64Array;
  seed: Uint32Array;
  /** The members' extent, four numbers per cluster: west, north, east, south in Web Mercator. */
  box: Float64Array;
  /** Each community's cluster. */
  clusterOf: Uint32Array;
}

/** Marks a community no cluster has claimed yet. */
const unclaimed = 0xffffffff;

/**
 * Clusters the communities at `zoom`. Above clusterMaxZoom every community is its own cluster of one.
 * (`packLimit` is for tests: below the cell count times the list size, the sort compares instead of packing.)
 */
export function clusterZoom(index: PointIndex, zoom: number, packLimit = Number.MAX_SAFE_INTEGER): ZoomClusters {
  const { x, y, people, size } = index;
  const work = scratchFor(index);
  // Written to full-size scratch columns first, then copied out at the size found.
  const out = work.clusters;
  out.zoom = zoom;
  out.length = 0;
  const clusterOf = new Uint32Array(size).fill(unclaimed);
  const add = (
    c: number,
    members: number,
    sumX: number,
    sumY: number,
    sumPeople: number,
    seed: number,
    box: [number, number, number, number],
  ) => {
    out.x[c] = sumX / members;
    out.y[c] = sumY / members;
    out.size[c] = members;
    out.people[c] = sumPeople;
    out.seed[c] = seed;
    out.box.set(box, c * 4);
  };

  if (zoom > clusterMaxZoom) {
    for (let i = 0; i < size; i++) {
      clusterOf[i] = i;
      add(i, 1, x[i]!, y[i]!, people[i]!, i, [x[i]!, y[i]!, x[i]!, y[i]!]);
    }
    out.length = size;
    return copyOut(out, clusterOf);
  }

  const radius = clusterRadius / (tilePixels * 2 ** zoom);
  // Grid cells are aligned on the whole world (cell column floor(x / radius)), numbered row by row
  // over the communities' extent only, with a spare column on each side for the lookups below.
  const { sorted, order, cells } = work;
  const [firstColumn, firstRow] = [Math.floor(index.extent[0] / radius) - 1, Math.floor(index.extent[1] / radius)];
  const columns = Math.floor(index.extent[2] / radius) - firstColumn + 2;
  const rows = Math.floor(index.extent[3] / radius) - firstRow + 1;
  const cellOf = (i: number) => (Math.floor(y[i]! / radius) - firstRow) * columns + Math.floor(x[i]! / radius) - firstColumn;
  const low = 2 ** Math.max(1, Math.ceil(Math.log2(size + 1)));
  if (rows * columns * low <= packLimit) {
    // One numeric sort with the point's place in the low bits: no comparator.
    for (let i = 0; i < size; i++) sorted[i] = cellOf(i) * low + i;
    sorted.sort();
    for (let k = 0; k < size; k++) {
      const value = sorted[k]!;
      const cell = Math.floor(value / low);
      cells[k] = cell;
      order[k] = value - cell * low;
    }
  } else {
    // Communities spread over the world at a deep zoom level: too many cells to pack, sort by comparison.
    for (let i = 0; i < size; i++) sorted[i] = cellOf(i);
    const byCell = Array.from({ length: size }, (_, i) => i).sort((a, b) => sorted[a]! - sorted[b]! || a - b);
    for (let k = 0; k < size; k++) {
      order[k] = byCell[k]!;
      cells[k] = sorted[byCell[k]!]!;
    }
  }
  /** The first place in the sorted order whose cell is at least `cell`. */
  const lowerBound = (cell: number) => {
    let [from, to] = [0, size];
    while (from < to) {
      const middle = (from + to) >>> 1;
      if (cells[middle]! < cell) from = middle + 1;
      else to = middle;
    }
    return from;
  };

  const limit = radius * radius;
  for (let k = 0; k < size; k++) {
    const seed = order[k]!;
    if (clusterOf[seed] !== unclaimed) continue;
    const c = out.length++;
    const [sx, sy] = [x[seed]!, y[seed]!];
    const [column, row] = [Math.floor(sx / radius), Math.floor(sy / radius)];
    let [members, sumX, sumY, sumPeople] = [0, 0, 0, 0];
    let [west, north, east, south] = [sx, sy, sx, sy];
    for (let r = row - 1; r <= row + 1; r++) {
      // Columns column-1..column+1 of this row are one run of the sorted order.
      const first = (r - firstRow) * columns + column - firstColumn;
      const end = lowerBound(first + 2);
      for (let at = lowerBound(first - 1); at < end; at++) {
        const j = order[at]!;
        if (clusterOf[j] !== unclaimed) continue;
        const [px, py] = [x[j]!, y[j]!];
        const dx = px - sx;
        const dy = py - sy;
        if (dx * dx + dy * dy > limit) continue;
        clusterOf[j] = c;
        members++;
        sumX += px;
        sumY += py;
        sumPeople += people[j]!;
        if (px < west) west = px;
        if (px > east) east = px;
        if (py < north) north = py;
        if (py > south) south = py;
      }
    }
    add(c, members, sumX, sumY, sumPeople, seed, [west, north, east, south]);
  }
  return copyOut(out, clusterOf);
}

function emptyClusters(zoom: number, capacity: number, clusterOf: Uint32Array): ZoomClusters {
  return {
    zoom,
    length: 0,
    x: new Float64Array(capacity),
    y: new Float64Array(capacity),
    size: new Uint32Array(capacity),
    people: new Float64Array(capacity),
    seed: new Uint32Array(capacity),
    box: new Float64Array(capacity * 4),
    clusterOf,
  };
}

function copyOut(out: ZoomClusters, clusterOf: Uint32Array): ZoomClusters {
  const exact = emptyClusters(out.zoom, out.length, clusterOf);
  exact.length = out.length;
  for (const column of ['x', 'y', 'size', 'people', 'seed'] as const) exact[column].set(out[column].subarray(0, out.length));
  exact.box.set(out.box.subarray(0, out.length * 4));
  return exact;
}

/** Working columns of one index, kept between calls (clustering a zoom level makes little garbage). */
interface Scratch {
  sorted: Float64Array;
  order: Uint32Array;
  cells: Float64Array;
  clusters: ZoomClusters;
}
const scratches = new WeakMap<PointIndex, Scratch>();

function scratchFor(index: PointIndex): Scratch {
  let work = scratches.get(index);
  if (!work) {
    const size = index.size;
    work = {
      sorted: new Float64Array(size),
      order: new Uint32Array(size),
      cells: new Float64Array(size),
      clusters: emptyClusters(0, size, new Uint32Array(0)),
    };
    scratches.set(index, work);
  }
  return work;
}

/** Per cluster, how many of its communities `match` marks, and their people. */
export function matchCounts(index: PointIndex, clusters: ZoomClusters, match: Uint8Array): { count: Uint32Array; people: Float64Array } {
  const count = new Uint32Array(clusters.length);
  const people = new Float64Array(clusters.length);
  for (let i = 0; i < index.size; i++) {
    if (!match[i]) continue;
    const c = clusters.clusterOf[i]!;
    count[c]! += 1;
    people[c]! += index.people[i]!;
  }
  return { count, people };
}

/** An area in Web Mercator: west, north, east, south (north < south, y grows southwards). */
export type MercatorBox = readonly [number, number, number, number];
export const wholeWorld: MercatorBox = [0, 0, 1, 1];

export function contains(outer: MercatorBox, inner: MercatorBox): boolean {
  return inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];
}

/** `box` grown by `times` its own width and height on every side, kept inside the world. */
export function grow(box: MercatorBox, times: number): MercatorBox {
  const [w, h] = [(box[2] - box[0]) * times, (box[3] - box[1]) * times];
  return [Math.max(0, box[0] - w), Math.max(0, box[1] - h), Math.min(1, box[2] + w), Math.min(1, box[3] + h)];
}

export type ClusterFeature = GeoJSON.Feature<GeoJSON.Point, Record<string, number | string | boolean>>;

/**
 * The map's features for the clusters whose position is inside `box`. A single community carries its
 * feature id (its place in the list, plus one), headcount and status; a cluster carries `cluster`,
 * `point_count` (its communities) and the extent of its members in degrees (a tap zooms to it), with
 * an id above every community's. Both carry `people`: all of them, or with `match` the people of the
 * matching communities only (the heat layer's weight).
 */
export function clusterFeatures(
  index: PointIndex,
  clusters: ZoomClusters,
  box: MercatorBox = wholeWorld,
  match: { people: Float64Array } | null = null,
): ClusterFeature[] {
  const features: ClusterFeature[] = [];
  const [west, north, east, south] = box;
  for (let c = 0; c < clusters.length; c++) {
    const [cx, cy] = [clusters.x[c]!, clusters.y[c]!];
    if (cx < west || cx > east || cy < north || cy > south) continue;
    const people = match ? match.people[c]! : clusters.people[c]!;
    const seed = clusters.seed[c]!;
    if (clusters.size[c] === 1) {
      const own = index.features[seed]!.properties;
      features.push({
        type: 'Feature',
        id: seed + 1,
        properties: { headcount: own.headcount, people, status: own.status },
        geometry: { type: 'Point', coordinates: [index.lon[seed]!, index.lat[seed]!] },
      });
      continue;
    }
    const at = c * 4;
    features.push({
      type: 'Feature',
      id: clusterId(index, c),
      properties: {
        cluster: true,
        point_count: clusters.size[c]!,
        people,
        west: longitudeOf(clusters.box[at]!),
        north: latitudeOf(clusters.box[at + 1]!),
        east: longitudeOf(clusters.box[at + 2]!),
        south: latitudeOf(clusters.box[at + 3]!),
      },
      geometry: { type: 'Point', coordinates: [longitudeOf(cx), latitudeOf(cy)] },
    });
  }
  return features;
}

/** A cluster's feature id: above every community's. */
export function clusterId(index: PointIndex, cluster: number): number {
  return index.size + 1 + cluster;
}

/** Which cluster or community a feature id names. */
export function fromFeatureId(index: PointIndex, id: number): { community: number } | { cluster: number } {
  return id > index.size ? { cluster: id - index.size - 1 } : { community: id - 1 };
}

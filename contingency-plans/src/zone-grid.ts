// Point-in-zone for very many points, with exactly Turf's answer (booleanPointInPolygon, boundary
// counted as inside) at a fraction of its cost:
// - a grid over the zone's bounding box whose cells are classified once as outside, inside or edge
//   (an edge of the zone passes through the cell, or within a small margin of it);
// - a point in an inside or outside cell is answered by one array lookup;
// - only points in edge cells get a ring test, and that test reproduces Turf's (point-in-polygon-hao:
//   even-odd crossings over every ring of a polygon, the exact sign of the same orientation
//   determinant, any point on an edge inside; a MultiPolygon contains what any of its polygons does).
// Why a cell's class is safe: the margin (far larger than the rounding of Turf's own arithmetic)
// keeps every point of a non-edge cell away from every edge, where rounding cannot change an answer.
// The one place Turf's answer is not reproduced: products underflowing to zero in its arithmetic
// (points within about 1e-308 degrees of the zone's bounding box, or zones at subnormal
// coordinates), which Turf then calls "on the edge"; no map coordinate comes near that.
// Points are found either by one branch-free pass over lon/lat columns or by a walk of a KDBush
// index; both give the rows inside in ascending order. Each polygon's edges are geo.ts's
// `prepareEdges`, the same banded structure as the quick test of summaries.
import type { MultiPolygon, Polygon } from 'geojson';
import { orient2d } from 'robust-predicates';
import { bandOf, type PreparedEdges, polygonsOf, prepareEdges } from './geo.ts';

const OUTSIDE = 0;
const INSIDE = 1;
const EDGE = 2;

export interface ZoneGrid {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  columns: number;
  rows: number;
  /** Cells per degree, across and up. */
  scaleX: number;
  scaleY: number;
  /** OUTSIDE, INSIDE or EDGE per cell, row by row from the south-west corner. */
  cells: Uint8Array;
  /** Each polygon's edges (all its rings), banded: geo.ts's prepared edges, one set per polygon. */
  polygons: PreparedEdges[];
}

/** Turf's answer for one polygon: 0 on an edge, 1 inside, -1 outside. */
function ringTest(polygon: PreparedEdges, x: number, y: number): number {
  const band = bandOf(polygon, y);
  const { bandStart, bandEdges, x0, y0, x1, y1 } = polygon;
  let crossings = 0;
  for (let k = bandStart[band]!, end = bandStart[band + 1]!; k < end; k++) {
    const i = bandEdges[k]!;
    const v1 = y0[i]! - y;
    const v2 = y1[i]! - y;
    const u1 = x0[i]! - x;
    const u2 = x1[i]! - x;
    if (v1 === 0 && v2 === 0) {
      if ((u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0)) return 0;
    } else if ((v2 >= 0 && v1 <= 0) || (v2 <= 0 && v1 >= 0)) {
      // Exactly point-in-polygon-hao's orientation: the sign of u2 * v1 - u1 * v2, exact near zero.
      const f = orient2d(u1, u2, v1, v2, 0, 0);
      if (f === 0) return 0;
      if ((f > 0 && v2 > 0 && v1 <= 0) || (f < 0 && v2 <= 0 && v1 > 0)) crossings++;
    }
  }
  return crossings % 2 === 1 ? 1 : -1;
}

/** Turf's booleanPointInPolygon for (x, y), edges included, without the grid. */
function exactInside(grid: ZoneGrid, x: number, y: number): boolean {
  if (!(x >= grid.minX && x <= grid.maxX && y >= grid.minY && y <= grid.maxY)) return false;
  for (const polygon of grid.polygons) if (ringTest(polygon, x, y) >= 0) return true;
  return false;
}

/** Marks the cells an edge passes through or near (a cell grown by `margin` on each side). */
function markEdgeCells(grid: ZoneGrid, ax: number, ay: number, bx: number, by: number, margin: number): void {
  const { minX, minY, columns, rows, scaleX, scaleY, cells } = grid;
  const width = 1 / scaleX;
  const height = 1 / scaleY;
  const column0 = Math.max(0, Math.floor((Math.min(ax, bx) - margin - minX) * scaleX));
  const column1 = Math.min(columns - 1, Math.floor((Math.max(ax, bx) + margin - minX) * scaleX));
  const row0 = Math.max(0, Math.floor((Math.min(ay, by) - margin - minY) * scaleY));
  const row1 = Math.min(rows - 1, Math.floor((Math.max(ay, by) + margin - minY) * scaleY));
  const dx = bx - ax;
  const dy = by - ay;
  for (let row = row0; row <= row1; row++) {
    const south = minY + row * height - margin;
    const north = minY + (row + 1) * height + margin;
    for (let column = column0; column <= column1; column++) {
      const west = minX + column * width - margin;
      const east = minX + (column + 1) * width + margin;
      // The edge's line leaves the grown cell on one side when all four corners are on that side.
      const sw = dx * (south - ay) - dy * (west - ax);
      const se = dx * (south - ay) - dy * (east - ax);
      const nw = dx * (north - ay) - dy * (west - ax);
      const ne = dx * (north - ay) - dy * (east - ax);
      const allAbove = sw > 0 && se > 0 && nw > 0 && ne > 0;
      const allBelow = sw < 0 && se < 0 && nw < 0 && ne < 0;
      if (!allAbove && !allBelow) cells[row * columns + column] = EDGE;
    }
  }
}

/**
 * Prepares a zone for many point tests. `cellsAcross` bounds the grid's longer side; the default
 * grows with the number of edges so that edge cells stay a small share of the grid.
 */
export function prepareZoneGrid(geometry: Polygon | MultiPolygon, cellsAcross?: number): ZoneGrid {
  const polygons = polygonsOf(geometry);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let edgeCount = 0;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      edgeCount += Math.max(0, ring.length - 1);
      for (const position of ring) {
        minX = Math.min(minX, position[0]!);
        minY = Math.min(minY, position[1]!);
        maxX = Math.max(maxX, position[0]!);
        maxY = Math.max(maxY, position[1]!);
      }
    }
  }
  if (edgeCount === 0) minX = minY = maxX = maxY = 0;
  const across = cellsAcross ?? Math.max(16, Math.min(512, Math.ceil(8 * Math.sqrt(edgeCount))));
  const width = maxX - minX;
  const height = maxY - minY;
  const longer = Math.max(width, height);
  const columns = longer > 0 ? Math.max(1, Math.round((across * width) / longer)) : 1;
  const rows = longer > 0 ? Math.max(1, Math.round((across * height) / longer)) : 1;
  const grid: ZoneGrid = {
    minX,
    minY,
    maxX,
    maxY,
    columns,
    rows,
    scaleX: width > 0 ? columns / width : 1,
    scaleY: height > 0 ? rows / height : 1,
    cells: new Uint8Array(columns * rows),
    polygons: polygons.map(prepareEdges),
  };
  // Far above the rounding of coordinates near 180 degrees (about 3e-14), far below a cell.
  const margin = Math.max(1e-9, 1e-6 * Math.max(1 / grid.scaleX, 1 / grid.scaleY));
  for (const polygon of grid.polygons) {
    for (let i = 0; i < polygon.x0.length; i++) markEdgeCells(grid, polygon.x0[i]!, polygon.y0[i]!, polygon.x1[i]!, polygon.y1[i]!, margin);
  }
  // Along a row, cells between two edge cells all share the answer at the first one's centre.
  for (let row = 0; row < rows; row++) {
    let known = -1;
    const y = minY + (row + 0.5) / grid.scaleY;
    for (let column = 0; column < columns; column++) {
      const cell = row * columns + column;
      if (grid.cells[cell] === EDGE) {
        known = -1;
        continue;
      }
      if (known < 0) known = exactInside(grid, minX + (column + 0.5) / grid.scaleX, y) ? INSIDE : OUTSIDE;
      grid.cells[cell] = known;
    }
  }
  return grid;
}

/** Turf's booleanPointInPolygon answer for one point (edges count as inside). */
export function insideZoneGrid(grid: ZoneGrid, x: number, y: number): boolean {
  const dx = x - grid.minX;
  const dy = y - grid.minY;
  if (!(dx >= 0 && dy >= 0 && x <= grid.maxX && y <= grid.maxY)) return false;
  const column = Math.min(grid.columns - 1, Math.floor(dx * grid.scaleX));
  const row = Math.min(grid.rows - 1, Math.floor(dy * grid.scaleY));
  const cell = grid.cells[row * grid.columns + column]!;
  return cell === EDGE ? exactInside(grid, x, y) : cell === INSIDE;
}

/**
 * Row numbers of the points inside, ascending. The columns are read once, in order, a block of
 * rows at a time: a branch-free compaction (the comparisons are unpredictable) of the rows whose
 * longitude and latitude are both within the zone's box, then a cell lookup for each of those.
 * Both columns are tested in the same pass: measured faster, caches cold or warm, than testing one
 * column and then reading the passing rows of the other (scattered reads, most of them cache misses).
 * The branch-free test uses a box grown by a margin far above its rounding; the exact box follows.
 */
export function pointsInZoneGrid(grid: ZoneGrid, lon: Float64Array, lat: Float64Array): Uint32Array {
  const { minX, minY, maxX, maxY, columns, rows, scaleX, scaleY, cells } = grid;
  const centerX = (minX + maxX) / 2;
  const centerY = (minY + maxY) / 2;
  const halfWidth = (maxX - minX) / 2 + 1e-9;
  const halfHeight = (maxY - minY) / 2 + 1e-9;
  const lastColumn = columns - 1;
  const lastRow = rows - 1;
  const block = 4096;
  const scratch = new Uint32Array(block);
  let found = new Uint32Array(1024);
  let count = 0;
  for (let start = 0; start < lon.length; start += block) {
    const end = Math.min(lon.length, start + block);
    let candidates = 0;
    for (let i = start; i < end; i++) {
      scratch[candidates] = i;
      candidates += Number(Math.abs(lon[i]! - centerX) <= halfWidth) & Number(Math.abs(lat[i]! - centerY) <= halfHeight);
    }
    if (count + candidates > found.length) {
      const grown = new Uint32Array(Math.max(2 * found.length, count + candidates));
      grown.set(found.subarray(0, count));
      found = grown;
    }
    for (let k = 0; k < candidates; k++) {
      const point = scratch[k]!;
      const x = lon[point]!;
      const y = lat[point]!;
      if (!(x >= minX && x <= maxX && y >= minY && y <= maxY)) continue;
      const cell =
        cells[Math.min(lastRow, Math.floor((y - minY) * scaleY)) * columns + Math.min(lastColumn, Math.floor((x - minX) * scaleX))]!;
      if (cell === INSIDE || (cell === EDGE && exactInside(grid, x, y))) found[count++] = point;
    }
  }
  return found.slice(0, count);
}

/** The parts of a KDBush index the walk below reads (points sorted by alternating median splits). */
export interface PointTree {
  ids: ArrayLike<number>;
  coords: ArrayLike<number>;
  nodeSize: number;
}

/**
 * The same answer through a point index: a range walk over the zone's box that tests the points on
 * the index's own coordinate array (points close in space are close in memory there). Hits are
 * set in a bit per row, then read out in row order: 32 rows a word, so the read-out touches a
 * thirty-second of the rows and costs far less than sorting the hits.
 */
export function pointsInZoneGridThroughTree(grid: ZoneGrid, tree: PointTree): Uint32Array {
  const { minX, minY, maxX, maxY, columns, rows, scaleX, scaleY, cells } = grid;
  const { ids, coords, nodeSize } = tree;
  const lastColumn = columns - 1;
  const lastRow = rows - 1;
  const bits = new Int32Array(Math.ceil(ids.length / 32));
  let hits = 0;
  const stack = [0, ids.length - 1, 0];
  while (stack.length > 0) {
    const axis = stack.pop()!;
    const right = stack.pop()!;
    const left = stack.pop()!;
    // A leaf: test its points. A node: test its middle point, then walk the halves the box reaches.
    let from = left;
    let to = right;
    if (right - left > nodeSize) {
      const middle = (left + right) >> 1;
      from = to = middle;
      const split = coords[2 * middle + axis]!;
      if (axis === 0 ? minX <= split : minY <= split) stack.push(left, middle - 1, 1 - axis);
      if (axis === 0 ? maxX >= split : maxY >= split) stack.push(middle + 1, right, 1 - axis);
    }
    for (let k = from; k <= to; k++) {
      const x = coords[2 * k]!;
      const y = coords[2 * k + 1]!;
      if (!(x >= minX && x <= maxX && y >= minY && y <= maxY)) continue;
      const cell =
        cells[Math.min(lastRow, Math.floor((y - minY) * scaleY)) * columns + Math.min(lastColumn, Math.floor((x - minX) * scaleX))]!;
      if (cell === INSIDE || (cell === EDGE && exactInside(grid, x, y))) {
        const row = ids[k]!;
        bits[row >>> 5]! |= 1 << (row & 31);
        hits++;
      }
    }
  }
  const found = new Uint32Array(hits);
  let count = 0;
  for (let word = 0; count < hits; word++) {
    let set = bits[word]!;
    while (set !== 0) {
      const lowest = set & -set;
      found[count++] = word * 32 + 31 - Math.clz32(lowest);
      set ^= lowest;
    }
  }
  return found;
}

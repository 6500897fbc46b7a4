// A uniform lon/lat grid over a set of places, for "everything within d km" queries without
// allocating: cells hold place indices in one flat array (cell c: items[start[c] .. start[c + 1])).
// Cells are about `cellKm` tall; their width in degrees follows the farthest latitude so a cell is
// never narrower than `cellKm`. Areas crossing the antimeridian are not supported.
import { degreesAround } from './geo.ts';

export interface GridIndex {
  minLon: number;
  minLat: number;
  cellLon: number;
  cellLat: number;
  columns: number;
  rows: number;
  start: Uint32Array;
  items: Uint32Array;
}

export function buildGridIndex(places: { lon: number; lat: number }[], cellKm: number): GridIndex {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const place of places) {
    minLon = Math.min(minLon, place.lon);
    minLat = Math.min(minLat, place.lat);
    maxLon = Math.max(maxLon, place.lon);
    maxLat = Math.max(maxLat, place.lat);
  }
  if (places.length === 0) minLon = minLat = maxLon = maxLat = 0;
  const span = degreesAround(Math.max(Math.abs(minLat), Math.abs(maxLat)), cellKm);
  let cellLon = Math.max(span.longitude, 1e-9);
  let cellLat = Math.max(span.latitude, 1e-9);
  // Keep the grid at most about 4 cells per place (and at least 1024 cells allowed).
  const budget = Math.max(1024, 4 * places.length);
  const wanted = (Math.floor((maxLon - minLon) / cellLon) + 1) * (Math.floor((maxLat - minLat) / cellLat) + 1);
  if (wanted > budget) {
    const factor = Math.sqrt(wanted / budget);
    cellLon *= factor;
    cellLat *= factor;
  }
  const columns = Math.floor((maxLon - minLon) / cellLon) + 1;
  const rows = Math.floor((maxLat - minLat) / cellLat) + 1;
  const cellOf = (place: { lon: number; lat: number }) =>
    Math.min(rows - 1, Math.floor((place.lat - minLat) / cellLat)) * columns +
    Math.min(columns - 1, Math.floor((place.lon - minLon) / cellLon));
  const start = new Uint32Array(columns * rows + 1);
  for (const place of places) start[cellOf(place) + 1]!++;
  for (let c = 0; c < columns * rows; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, columns * rows);
  const items = new Uint32Array(places.length);
  places.forEach((place, i) => {
    items[fill[cellOf(place)]!++] = i;
  });
  return { minLon, minLat, cellLon, cellLat, columns, rows, start, items };
}

/** Cells to visit for everything within `km` of (lon, lat): writes [column0, column1, row0, row1] into `out`; false when none. */
export function cellsAround(grid: GridIndex, lon: number, lat: number, km: number, out: Int32Array): boolean {
  const span = degreesAround(lat, km);
  const column0 = Math.max(0, Math.floor((lon - span.longitude - grid.minLon) / grid.cellLon));
  const column1 = Math.min(grid.columns - 1, Math.floor((lon + span.longitude - grid.minLon) / grid.cellLon));
  const row0 = Math.max(0, Math.floor((lat - span.latitude - grid.minLat) / grid.cellLat));
  const row1 = Math.min(grid.rows - 1, Math.floor((lat + span.latitude - grid.minLat) / grid.cellLat));
  out[0] = column0;
  out[1] = column1;
  out[2] = row0;
  out[3] = row1;
  return column0 <= column1 && row0 <= row1;
}

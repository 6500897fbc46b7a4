// How far off a position may be: the accuracy a GPS fix reports, the fingertip of a tap on the map at
// its zoom, and what counts as good or rough (issue 16, part 1).
import type { Position } from '#model/records';

/** A GPS fix this close is kept and the search stops. */
export const GOOD_ACCURACY_M = 25;
/** Beyond this radius a position is rough: the form says so, the detail view marks it. */
export const POOR_ACCURACY_M = 100;
/** How long the phone may look for a fix before the form says it found none. */
export const LOCATE_SECONDS = 30;

export type PositionQuality = 'good' | 'fair' | 'poor' | 'unknown';

export function qualityOf(position: Pick<Position, 'accuracy'>): PositionQuality {
  if (position.accuracy === undefined) return 'unknown';
  return position.accuracy <= GOOD_ACCURACY_M ? 'good' : position.accuracy <= POOR_ACCURACY_M ? 'fair' : 'poor';
}

/** Metres per CSS pixel at zoom 0 of MapLibre's 512-pixel tiles, at latitude `lat`. */
export const metresPerPixelAtZoom0 = (lat: number) => 78_271.517 * Math.cos((lat * Math.PI) / 180);

/** The metres a map tap may be off at `zoom` (MapLibre's 512-pixel tiles): about a fingertip, 10 CSS pixels. */
export function tapAccuracy(zoom: number, lat: number): number {
  const metresPerPixel = metresPerPixelAtZoom0(lat) / 2 ** zoom;
  return Math.max(1, Math.round(10 * metresPerPixel));
}

// The colours the operations map draws with, in one place for both engines (MapLibre and Leaflet)
// and for the legend that explains them.
import type { statuses } from '#model/records';

type Status = (typeof statuses)[number];

/** A community's circle by its status; the statuses not named here share OTHER_STATUS_COLOUR. */
export const statusColours: Partial<Record<Status, string>> = {
  missing: '#b3261e',
  stranded: '#d9822b',
  safe: '#2e7d32',
  evacuated: '#5c6bc0',
};
export const OTHER_STATUS_COLOUR = '#1f6f8b';

const byStatus: ReadonlyMap<string, string> = new Map(Object.entries(statusColours));
/** The colour of a community's circle for a status read from a map feature. */
export const colourOfStatus = (status: string) => byStatus.get(status) ?? OTHER_STATUS_COLOUR;

/** A group of communities (a cluster): its fill and its ring. */
export const CLUSTER_COLOUR = '#1f3b4d';
export const HIGHLIGHT_COLOUR = '#f2c14e';

/** A community's circle radius in pixels by its headcount: [people, radius] stops, interpolated linearly. */
export const headcountRadius: readonly [number, number][] = [
  [1, 5],
  [100, 9],
  [1000, 14],
];

// Map filters as plain data and one predicate over feature properties, used by the list, the
// MapLibre map (the filtered features go to the clustered source with setData; clustering runs in
// MapLibre's worker, nothing is one DOM node per point) and the Leaflet light map. Communities
// carry their filterable facts as feature properties: nationality codes joined as "|NP|IN|",
// needs as a bit mask, status, and updatedAt as epoch milliseconds.
import { needs, type Community } from '#model/records';

export interface MapFilter {
  nationality: string | null;
  need: string | null;
  status: string | null;
  /** ISO date: only records updated on or after it. */
  since: string | null;
}

export const noFilter: MapFilter = { nationality: null, need: null, status: null, since: null };

/** The needs in bit order, read as strings: a filter or a record names a need by its string, found or not. */
const needOrder: readonly string[] = needs;

export function needMask(list: readonly string[]): number {
  let mask = 0;
  for (const need of list) {
    const bit = needOrder.indexOf(need);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

export interface CommunityProperties {
  id: string;
  headcount: number;
  status: string;
  nationalities: string;
  needs: number;
  updated: number;
}

export function propertiesOf(community: Community): CommunityProperties {
  return {
    id: community.id,
    headcount: community.headcount.total,
    status: community.status,
    nationalities: `|${community.nationalities.map((item) => item.code).join('|')}|`,
    needs: needMask(community.needs),
    updated: Date.parse(community.updatedAt),
  };
}

export function isFiltering(filter: MapFilter): boolean {
  return Boolean(filter.nationality || filter.need || filter.status || filter.since);
}

/** Whether a community's properties pass the filter. */
export function matchesFilter(properties: CommunityProperties, filter: MapFilter): boolean {
  if (filter.nationality && !properties.nationalities.includes(`|${filter.nationality}|`)) return false;
  if (filter.need && !(properties.needs & (1 << needOrder.indexOf(filter.need)))) return false;
  if (filter.status && properties.status !== filter.status) return false;
  if (filter.since && properties.updated < Date.parse(filter.since)) return false;
  return true;
}

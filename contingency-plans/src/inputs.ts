// Plain structural inputs of the analysis functions. They match the shape of the web client's
// community records (location flattened to lon/lat) without importing them: this library depends
// on no app.

export interface NationalityCount {
  code: string;
  count?: number;
}

/** People by age band within one sex (the web client's headcount breakdown). */
export interface AgeBands {
  children: number;
  adults: number;
  elderly: number;
}

/** Headcount by sex and age band, where known; may cover only part of the headcount. */
export interface SexAgeBreakdown {
  female?: AgeBands;
  male?: AgeBands;
}

export interface CommunityPoint {
  id: string;
  lon: number;
  lat: number;
  headcount: number;
  nationalities: NationalityCount[];
  needs: string[];
  vulnerabilities: string[];
  breakdown?: SexAgeBreakdown;
}

/** A million points without a million objects: one typed array per field. */
export interface CommunityColumns {
  lon: Float64Array;
  lat: Float64Array;
  headcount: Uint32Array;
  /** Optional index into `nationalityCodes` per point (one main nationality per point). */
  nationality?: Uint16Array;
  nationalityCodes?: string[];
}

/** A named administrative area (or grid square) used by summaries. */
export interface SummaryArea {
  id: string;
  name: string;
  geometry: import('geojson').Polygon | import('geojson').MultiPolygon;
}

/**
 * Split a headcount across nationalities: known counts first (capped at the headcount), the rest
 * shared evenly between nationalities without a count (or between all of them when every count is
 * known but they add up to less), remainders to the first ones, so the parts always add up to the
 * headcount. A community without nationalities counts as "unknown".
 */
export function apportionNationalities(headcount: number, nationalities: NationalityCount[]): Map<string, number> {
  const result = new Map<string, number>();
  if (nationalities.length === 0) {
    if (headcount > 0) result.set('unknown', headcount);
    return result;
  }
  let left = headcount;
  const unknown: string[] = [];
  for (const nationality of nationalities) {
    if (nationality.count === undefined) unknown.push(nationality.code);
    else {
      const part = Math.min(left, nationality.count);
      result.set(nationality.code, (result.get(nationality.code) ?? 0) + part);
      left -= part;
    }
  }
  if (left > 0) {
    const sharers = unknown.length ? unknown : nationalities.map((nationality) => nationality.code);
    const share = Math.floor(left / sharers.length);
    let remainder = left - share * sharers.length;
    for (const code of sharers) {
      const part = share + (remainder > 0 ? 1 : 0);
      if (remainder > 0) remainder--;
      result.set(code, (result.get(code) ?? 0) + part);
    }
  }
  for (const [code, count] of result) if (count === 0) result.delete(code);
  return result;
}

/** Scale a nationality breakdown to `part` people (largest remainder, adds up exactly). */
export function scaleBreakdown(breakdown: Map<string, number>, part: number): Map<string, number> {
  const total = [...breakdown.values()].reduce((sum, count) => sum + count, 0);
  const result = new Map<string, number>();
  if (total === 0 || part <= 0) return result;
  const shares = [...breakdown].map(([code, count]) => {
    const exact = (count * part) / total;
    return { code, floor: Math.floor(exact), fraction: exact - Math.floor(exact) };
  });
  let left = part - shares.reduce((sum, share) => sum + share.floor, 0);
  shares.sort((a, b) => b.fraction - a.fraction || a.code.localeCompare(b.code));
  for (const share of shares) {
    const count = share.floor + (left > 0 ? 1 : 0);
    if (left > 0) left--;
    if (count > 0) result.set(share.code, count);
  }
  return result;
}

/** The shape of a community record as the web client keeps it (structural: nothing is imported). */
export interface CommunityRecordLike {
  id: string;
  location: { lon: number; lat: number };
  headcount: { total: number; female?: AgeBands; male?: AgeBands };
  nationalities: NationalityCount[];
  needs: readonly string[];
  vulnerabilities: readonly string[];
}

/** A community record flattened to the analysis input. */
export function communityPointFromRecord(record: CommunityRecordLike): CommunityPoint {
  return {
    id: record.id,
    lon: record.location.lon,
    lat: record.location.lat,
    headcount: record.headcount.total,
    nationalities: record.nationalities,
    needs: [...record.needs],
    vulnerabilities: [...record.vulnerabilities],
    ...(record.headcount.female || record.headcount.male
      ? {
          breakdown: {
            ...(record.headcount.female ? { female: record.headcount.female } : {}),
            ...(record.headcount.male ? { male: record.headcount.male } : {}),
          },
        }
      : {}),
  };
}

// What the map and the list show: the communities as map features, narrowed by the filters, or the
// records a search finds (highlighted on the map, in the order of relevance).
import { useMemo } from 'preact/hooks';
import type { RecordBody } from '#model/records';
import { currentLanguage } from '../i18n/index.ts';
import { communityFeatures, filterFeatures, positionOf, type CommunityFeature } from '../map/features.ts';
import { isFiltering, type MapFilter } from '../map/filters.ts';
import type { OpenedRecords } from '../records.ts';
import { buildSearchIndex, search, type SearchHit } from '../search/index.ts';

export interface RecordSearch {
  /** Every community on the map. */
  features: CommunityFeature[];
  /** The communities the filters leave. */
  shownFeatures: CommunityFeature[];
  /** The nationalities the communities have, for the filter's choices. */
  nationalities: string[];
  allRecords: RecordBody[];
  /** What a search found, or null when nothing is searched. */
  hits: SearchHit[] | null;
  /** The records the list shows. */
  listed: RecordBody[];
  /** Where the found records are, to highlight on the map. */
  highlight: [number, number][];
}

export function useRecordSearch(opened: OpenedRecords, query: string, filter: MapFilter): RecordSearch {
  const features = useMemo(() => communityFeatures(opened.communities), [opened]);
  const shownFeatures = useMemo(() => (isFiltering(filter) ? filterFeatures(features, filter) : features), [features, filter]);
  const nationalities = useMemo(
    () => [...new Set(opened.communities.flatMap((community) => community.nationalities.map((item) => item.code)))].sort(),
    [opened],
  );
  const allRecords = useMemo<RecordBody[]>(() => [...opened.communities, ...opened.persons], [opened]);
  const searchIndex = useMemo(
    () => (query.trim() ? buildSearchIndex(allRecords, [currentLanguage().code]) : null),
    [allRecords, query.trim() !== ''],
  );
  const hits = useMemo(() => (searchIndex ? search(searchIndex, query) : null), [searchIndex, query]);
  const listed = useMemo<RecordBody[]>(() => {
    if (hits) return hits.map((hit) => opened.merges.get(hit.id)?.body).filter((body): body is RecordBody => Boolean(body));
    if (!isFiltering(filter)) return [...opened.communities].sort((a, b) => a.name.localeCompare(b.name));
    const ids = new Set(shownFeatures.map((feature) => feature.properties.id));
    return opened.communities.filter((community) => ids.has(community.id));
  }, [hits, opened, shownFeatures]);
  const highlight = useMemo(
    () => (hits ? listed.map(positionOf).filter((position): position is [number, number] => position !== null) : []),
    [hits, listed],
  );
  return { features, shownFeatures, nationalities, allRecords, hits, listed, highlight };
}

// Who the plans are for: a CSO officer's own records (opened on this device), else the summaries
// other organisations published, and the areas a summary of our own would be published by.
import { communityPointFromRecord, type CommunityPoint, type Summary } from '#plans';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { openOrgRecords } from '../../records.ts';
import type { Session } from '../../session.ts';
import * as actions from '../actions.ts';
import { areasOfSummaries, chooseSummaryAreas, type AreaChoice, type Population } from '../analysis.ts';
import { allKnownAreas, knownBoundarySets } from '../boundaries.ts';
import type { PlansStatus } from './status.ts';

export type ReadableSummary = { orgName: string; summary: Summary };

export function usePopulation(session: Session, status: PlansStatus) {
  const [communities, setCommunities] = useState<CommunityPoint[]>([]);
  const [summaries, setSummaries] = useState<ReadableSummary[]>([]);
  const [shownSummary, setShownSummary] = useState(0);
  const knownAreas = useMemo(allKnownAreas, []);

  async function load() {
    try {
      if (session.identity.orgKind === 'cso' && session.identity.role === 'officer' && session.orgKeys) {
        const opened = await openOrgRecords(session);
        setCommunities(opened.communities.map((community) => communityPointFromRecord(community)));
      }
      setSummaries(await actions.readableSummaries(session));
    } catch (error) {
      status.fail(error);
    }
  }

  useEffect(() => {
    void load();
  }, [session]);

  const population = useMemo<Population>(() => {
    if (communities.length > 0) return { kind: 'records', communities };
    if (summaries.length > 0) return { kind: 'summaries', summaries, areas: areasOfSummaries(summaries, knownAreas) };
    return { kind: 'none' };
  }, [communities, summaries, knownAreas]);

  const areaChoice = useMemo<AreaChoice | null>(
    () => (communities.length ? chooseSummaryAreas(communities, knownBoundarySets()) : null),
    [communities],
  );

  /** Puts our newly published summary first, in place of the one it replaces, and shows it. */
  function showPublished(own: ReadableSummary) {
    setSummaries([own, ...summaries.filter((item) => item.summary.orgId !== own.summary.orgId)]);
    setShownSummary(0);
  }

  return { communities, summaries, shownSummary, showSummary: setShownSummary, knownAreas, population, areaChoice, showPublished };
}

export type PopulationState = ReturnType<typeof usePopulation>;

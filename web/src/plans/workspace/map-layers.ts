// What the plan map shows besides the plan itself: the population, the assignment lines,
// overflowing assembly points and the summary chosen in the summaries panel.
import type { Plan } from '#plans';
import { useMemo } from 'preact/hooks';
import { areasOfSummaries, assignmentLines, summaryFeatures, type PlanAnalysisView } from '../analysis.ts';
import { populationFeatures } from '../map-features.ts';
import type { PopulationState } from './population.ts';

export const emptyCollection: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export function useMapLayers(plan: Plan | null, analysis: PlanAnalysisView | null, people: PopulationState) {
  const overflowing = useMemo(
    () => (analysis?.assignment?.points ?? []).filter((point) => point.overflow > 0).map((point) => point.assemblyPointId),
    [analysis],
  );
  // Follows the analysis, which follows the plan.
  const lines = useMemo(() => (plan && analysis ? assignmentLines(plan, analysis) : emptyCollection), [analysis]);
  const population = useMemo(() => populationFeatures(analysis?.communities ?? []), [analysis?.communities]);
  const { summaries, shownSummary, knownAreas } = people;
  const summary = useMemo(() => {
    const current = summaries[shownSummary];
    return current ? summaryFeatures(current.summary, areasOfSummaries([current], knownAreas)) : emptyCollection;
  }, [summaries, shownSummary, knownAreas]);
  return { overflowing, lines, population, summary };
}

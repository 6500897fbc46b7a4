// The analysis follows the edits, a moment after the last one (library calls, no network).
import type { Plan } from '#plans';
import { useEffect, useState } from 'preact/hooks';
import { analysePlan, type AnalysisOptions, type PlanAnalysisView, type Population } from '../analysis.ts';

const ANALYSIS_DELAY_MS = 250;

export function useLiveAnalysis(draft: Plan | null, population: Population) {
  const [options, setOptions] = useState<AnalysisOptions>({ bufferKm: 1, maxDistanceKm: 25, now: new Date().toISOString() });
  const [analysis, setAnalysis] = useState<PlanAnalysisView | null>(null);
  const [updating, setUpdating] = useState(false);

  useEffect(() => {
    if (!draft) return;
    setUpdating(true);
    const timer = setTimeout(() => {
      setAnalysis(analysePlan(draft, population, options));
      setUpdating(false);
    }, ANALYSIS_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, population, options]);

  return { options, setOptions, analysis, updating, clear: () => setAnalysis(null) };
}

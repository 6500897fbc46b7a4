// Admin boundaries the web client knows without any network: the reference scenarios' simplified
// areas (decisions 0202 and 0806). Summaries name areas by id; these give readers their shapes.
import type { SummaryAreaGeometry } from '#plans';
import { referenceScenarios } from '#plans/reference-scenarios';

export interface BoundarySet {
  id: string;
  name: string;
  areas: (SummaryAreaGeometry & { name: string })[];
}

export function knownBoundarySets(): BoundarySet[] {
  return referenceScenarios().map(({ id, title, boundaries }) => ({
    id,
    name: title.split(':')[0]!,
    areas: boundaries.features.map((feature) => ({
      id: String(feature.properties.id),
      name: feature.properties.name,
      geometry: feature.geometry,
    })),
  }));
}

export const allKnownAreas = (): SummaryAreaGeometry[] => knownBoundarySets().flatMap((set) => set.areas);

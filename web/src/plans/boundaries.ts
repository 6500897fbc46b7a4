// Admin boundaries the web client knows without any network: the fixture scenarios' simplified
// areas (decision 0202). Summaries name areas by id; these give readers their shapes.
import { listScenarios, loadScenario } from '#fixtures';
import type { SummaryAreaGeometry } from '#plans';

export interface BoundarySet {
  id: string;
  name: string;
  areas: (SummaryAreaGeometry & { name: string })[];
}

export function knownBoundarySets(): BoundarySet[] {
  return listScenarios().map(({ id, title }) => ({
    id,
    name: title.split(':')[0]!,
    areas: loadScenario(id).boundaries.features.map((feature) => ({
      id: String(feature.properties.id),
      name: feature.properties.name,
      geometry: feature.geometry as SummaryAreaGeometry['geometry'],
    })),
  }));
}

export const allKnownAreas = (): SummaryAreaGeometry[] => knownBoundarySets().flatMap((set) => set.areas);

// The printable plan: the document with the analysis' figures and a picture of the map as shown.
import { printablePlan, type Plan, type PrintDocument } from '#plans';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useRef, useState } from 'preact/hooks';
import type { PlanAnalysisView } from '../analysis.ts';

export function usePrinting() {
  const [printing, setPrinting] = useState<{ document: PrintDocument; mapImage: string | null } | null>(null);
  const map = useRef<MapLibreMap | null>(null);

  function print(plan: Plan, analysis: PlanAnalysisView | null) {
    const document = printablePlan(
      plan,
      {
        ...(analysis?.assignment ? { assignment: analysis.assignment } : {}),
        ...(analysis?.transport ? { transport: analysis.transport } : {}),
        gaps: analysis?.gaps ?? [],
        nationalitiesPresent: analysis?.nationalitiesPresent ?? {},
      },
      new Date().toISOString(),
    );
    let mapImage: string | null = null;
    try {
      map.current?.triggerRepaint();
      mapImage = map.current?.getCanvas().toDataURL('image/png') ?? null;
    } catch {
      mapImage = null;
    }
    setPrinting({ document, mapImage });
  }

  return {
    printing,
    print,
    close: () => setPrinting(null),
    /** Given to the plan map so the print can take its picture. */
    onMap: (instance: MapLibreMap | null) => {
      map.current = instance;
    },
  };
}

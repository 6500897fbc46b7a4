// An open plan's exports: the printable plan, GeoJSON, KML, the places and the assignment as CSV.
import type { Plan } from '#plans';
import { download } from '../ui/download.ts';
import type { PlanAnalysisView } from './analysis.ts';
import { assignmentDownload, geoJsonDownload, kmlDownload, placesDownload } from './exports.ts';
import { m } from './messages.ts';

export function ExportsPanel({ plan, analysis, onPrint }: { plan: Plan; analysis: PlanAnalysisView | null; onPrint: () => void }) {
  const assignment = analysis?.assignment;
  return (
    <section class="exports" data-testid="exports">
      <button type="button" onClick={onPrint} data-testid="print-plan">
        {m('export.print')}
      </button>
      <button type="button" class="secondary" onClick={() => download(geoJsonDownload(plan))}>
        {m('export.geojson')}
      </button>
      <button type="button" class="secondary" onClick={() => download(kmlDownload(plan))}>
        {m('export.kml')}
      </button>
      <button type="button" class="secondary" onClick={() => download(placesDownload(plan))}>
        {m('export.planCsv')}
      </button>
      {assignment && (
        <button type="button" class="secondary" onClick={() => download(assignmentDownload(plan, assignment))}>
          {m('export.csv')}
        </button>
      )}
    </section>
  );
}

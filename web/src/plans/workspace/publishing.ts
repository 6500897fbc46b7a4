// Publishing this CSO's summary: counts by area and nationality, small counts suppressed.
import type { Session } from '../../session.ts';
import * as actions from '../actions.ts';
import type { PopulationState } from './population.ts';
import type { PlansStatus } from './status.ts';

export function usePublishing(session: Session, population: PopulationState, status: PlansStatus) {
  async function publish(threshold: number) {
    const { areaChoice, communities } = population;
    if (!areaChoice) return;
    await status.run(async () => {
      const summary = await actions.publishSummary(session, communities, areaChoice.areas, threshold);
      const hidden = summary.cells.filter((cell) => cell.suppressed).length;
      status.say('summary.published', { areas: summary.areas.length, hidden });
      population.showPublished({ orgName: session.identity.orgName, summary });
    });
  }
  return { publish };
}

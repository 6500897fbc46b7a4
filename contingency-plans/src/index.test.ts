import { describe, expect, it } from 'vitest';
import * as plans from '#plans';

describe('#plans', () => {
  it('exposes the public API through the package import map', () => {
    for (const name of [
      'populationInZone',
      'populationInZoneColumns',
      'populationFromSummaries',
      'assignToAssemblyPoints',
      'transportNeeded',
      'buildManifest',
      'manifestToCsv',
      'planGaps',
      'buildSummary',
      'diffPlans',
      'planSigningPayload',
      'planToGeoJson',
      'validateRfc7946',
      'planToKml',
      'placemarksFromKml',
      'parseCap',
      'hazardZonesFromCap',
      'assignmentCsv',
      'printablePlan',
    ]) {
      expect(typeof (plans as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(plans.plan.safeParse(plans.samplePlan()).success).toBe(true);
  });
});

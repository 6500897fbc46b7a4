// The contingency-plans library (imported as `#plans`): a pure library for the plan model, its
// analysis, privacy-safe summaries and the file formats. No I/O, no DOM, no network; runs in
// browsers, Workers and Node. See ../README.md.

export * from './model.ts';
export type {
  AgeBands,
  CommunityColumns,
  CommunityPoint,
  CommunityRecordLike,
  NationalityCount,
  SexAgeBreakdown,
  SummaryArea,
} from './inputs.ts';
export { apportionNationalities, communityPointFromRecord, scaleBreakdown } from './inputs.ts';
export * from './result.ts';

export { bufferZone, indexPoints, populationInZone, populationInZoneColumns } from './population.ts';
export type { PopulationInZone, PopulationInZoneColumns, ZoneOptions } from './population.ts';
export { assignToAssemblyPoints } from './assign.ts';
export type {
  AssemblyPointLoad,
  AssignableCommunity,
  AssignablePoint,
  AssignmentResult,
  AssignOptions,
  CommunityAssignment,
  UnassignedCommunity,
  UnassignedReason,
} from './assign.ts';
export { buildRouteNetwork, shortestDistances, snapToNetwork } from './network.ts';
export type { RouteNetwork } from './network.ts';
export { transportNeeded, vehicleMix } from './transport.ts';
export type { PointTransport, TransportNeed, VehicleMix, VehicleType } from './transport.ts';
export { buildManifest, manifestHashtags, manifestToCsv } from './manifest.ts';
export type { ManifestGroup, ManifestOptions, ManifestRow, PhoneCountryOf, Released, SortKey } from './manifest.ts';
export { planGaps } from './gaps.ts';
export type { Gap, GapCode, GapSeverity, PlanAnalysis } from './gaps.ts';

export { buildSummary, recoverableFromSummary, sexAgeGroups, SUMMARY_SCHEMA_VERSION } from './summary.ts';
export type { SexAgeGroup, Summary, SummaryCell, SummaryDimension, SummaryOptions, SummaryTotal } from './summary.ts';
export { populationFromSummaries, squareGridAreas } from './summary-population.ts';
export type { SummaryAreaGeometry, SummaryEstimate } from './summary-population.ts';

export { diffPlans } from './diff.ts';
export type { ChangeKind, DiffLayer, PlanChange, PlanDiff } from './diff.ts';
export {
  canonical,
  PLAN_SIGNING_PURPOSE,
  planSigningPayload,
  signOffState,
  SUMMARY_SIGNING_PURPOSE,
  summarySigningPayload,
} from './signing.ts';
export type { SignOffState } from './signing.ts';

export {
  COORDINATE_DECIMALS,
  hazardZonesFromGeoJson,
  normaliseGeometry,
  planFeatures,
  planToFeatureCollection,
  planToGeoJson,
  validateRfc7946,
} from './geojson.ts';
export type { GeoJsonProblem, PlanLayer } from './geojson.ts';
export { hazardZonesFromKml, placemarksFromKml, planToKml } from './kml.ts';
export type { KmlPlacemark } from './kml.ts';
export {
  alertLevelOfSeverity,
  applyCapAlert,
  CAP_NAMESPACE,
  expiredCapZones,
  hazardZonesFromCap,
  hazardZonesFromCapAlert,
  parseCap,
} from './cap.ts';
export type { CapAlert, CapArea, CapInfo, CapMessageType } from './cap.ts';
export { assignmentCsv, hxlCsv, isHxlHashtag, parseHxlCsv, summaryCsv } from './hxl.ts';
export type { HxlColumn, HxlTable } from './hxl.ts';
export { planLayersFromGeoJson, planLayersFromKml } from './layers-import.ts';
export type { LayerImport, PlanLayers } from './layers-import.ts';
export { printablePlan } from './printable.ts';
export type { PrintAnalysis, PrintBlock, PrintDocument, PrintSection } from './printable.ts';
export { samplePlan } from './sample-plan.ts';
export { distanceKm } from './geo.ts';

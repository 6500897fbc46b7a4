// Vehicles needed to move the people assigned to each assembly point, per point and per
// nationality (each consulate plans transport for its own nationals).
import type { AssignmentResult } from './assign.ts';
import { apportionNationalities, scaleBreakdown } from './inputs.ts';
import { sortedRecord } from './population.ts';
import { fail, ok, optionsError, type Result } from './result.ts';

export interface VehicleType {
  type: string;
  capacity: number;
}

/** Vehicles by type: a mix (largest first, the last trip in the smallest vehicle that fits). */
export type VehicleMix = Record<string, number>;

export interface PointTransport {
  assemblyPointId: string;
  people: number;
  /** Vehicles if only this type were used, per type. */
  ifOnly: Record<string, number>;
  mix: VehicleMix;
  byNationality: Record<string, { people: number; mix: VehicleMix }>;
}

export interface TransportNeed {
  points: PointTransport[];
  /** Per nationality, summed over points (vehicles do not pool across points or nationalities). */
  byNationality: Record<string, { people: number; mix: VehicleMix }>;
  total: { people: number; mix: VehicleMix };
}

/** Fewest trips first: fill the largest vehicles, then carry the rest in the smallest one that fits. */
export function vehicleMix(people: number, vehicles: VehicleType[]): VehicleMix {
  const sorted = [...vehicles].sort((a, b) => b.capacity - a.capacity || a.type.localeCompare(b.type));
  const mix: VehicleMix = {};
  if (people <= 0 || sorted.length === 0) return mix;
  const largest = sorted[0]!;
  let left = people;
  const full = Math.floor(left / largest.capacity);
  if (full > 0) {
    mix[largest.type] = full;
    left -= full * largest.capacity;
  }
  if (left > 0) {
    const fits = [...sorted].reverse().find((vehicle) => vehicle.capacity >= left) ?? largest;
    mix[fits.type] = (mix[fits.type] ?? 0) + 1;
  }
  return mix;
}

function addMix(into: VehicleMix, mix: VehicleMix): void {
  for (const [type, count] of Object.entries(mix)) into[type] = (into[type] ?? 0) + count;
}

export function transportNeeded(assignment: AssignmentResult, vehicles: VehicleType[]): Result<TransportNeed> {
  if (vehicles.length === 0) return fail(optionsError('name at least one vehicle type with its capacity'));
  for (const vehicle of vehicles) {
    if (!(vehicle.capacity >= 1) || !Number.isInteger(vehicle.capacity))
      return fail(optionsError(`vehicle "${vehicle.type}" needs a whole capacity of 1 or more`));
  }
  const perPoint = new Map<string, { people: number; nationalities: Map<string, number> }>();
  for (const entry of assignment.assignments) {
    let point = perPoint.get(entry.assemblyPointId);
    if (!point) perPoint.set(entry.assemblyPointId, (point = { people: 0, nationalities: new Map() }));
    point.people += entry.people;
    const whole = apportionNationalities(entry.communityHeadcount, entry.nationalities);
    const part = entry.people === entry.communityHeadcount ? whole : scaleBreakdown(whole, entry.people);
    for (const [code, count] of part) point.nationalities.set(code, (point.nationalities.get(code) ?? 0) + count);
  }
  const byNationality: Record<string, { people: number; mix: VehicleMix }> = {};
  const total = { people: 0, mix: {} as VehicleMix };
  const points: PointTransport[] = [];
  for (const load of assignment.points) {
    const point = perPoint.get(load.assemblyPointId);
    if (!point || point.people === 0) continue;
    const ifOnly = Object.fromEntries(vehicles.map((vehicle) => [vehicle.type, Math.ceil(point.people / vehicle.capacity)]));
    const mix = vehicleMix(point.people, vehicles);
    const nationalities: Record<string, { people: number; mix: VehicleMix }> = {};
    for (const [code, people] of point.nationalities) {
      const nationalityMix = vehicleMix(people, vehicles);
      nationalities[code] = { people, mix: nationalityMix };
      const sum = (byNationality[code] ??= { people: 0, mix: {} });
      sum.people += people;
      addMix(sum.mix, nationalityMix);
    }
    total.people += point.people;
    addMix(total.mix, mix);
    points.push({ assemblyPointId: load.assemblyPointId, people: point.people, ifOnly, mix, byNationality: sortedRecord(nationalities) });
  }
  return ok({ points, byNationality: sortedRecord(byNationality), total });
}

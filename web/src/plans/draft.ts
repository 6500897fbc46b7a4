// Editing a plan: plain functions from a plan to a new plan (never mutating), so undo, diffs and
// "apply my edit again" after a conflict are just values. Checked against the plan model's schema
// before anything is saved (`checkPlan`).
import { bboxPolygon } from '@turf/turf';
import { emptyPlan, plan as planSchema, type AreaGeometry, type HazardZone, type Plan, type PlanVersion } from '#plans';

export type PlaceLayer = 'assemblyPoints' | 'shelters' | 'borderCrossings';
export type ItemLayer = 'hazardZones' | 'assemblyPoints' | 'shelters' | 'routes' | 'borderCrossings' | 'contacts' | 'triggers' | 'tasks';
export type Position = [number, number];

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** An id not yet used in the layer: the prefix and the next free number ("zone-3"). */
export function nextId(prefix: string, items: readonly { id: string }[]): string {
  const used = new Set(items.map((item) => item.id));
  for (let number = items.length + 1; ; number++) if (!used.has(`${prefix}-${number}`)) return `${prefix}-${number}`;
}

/** Corners clicked on the map to a closed polygon; null with fewer than three distinct corners. */
export function polygonFromVertices(vertices: readonly Position[]): AreaGeometry | null {
  const corners = vertices
    .map(([lon, lat]) => [round(lon), round(lat)] as Position)
    .filter((corner, index, all) => index === 0 || corner[0] !== all[index - 1]![0] || corner[1] !== all[index - 1]![1]);
  const last = corners.at(-1);
  if (last && corners.length > 1 && last[0] === corners[0]![0] && last[1] === corners[0]![1]) corners.pop();
  if (corners.length < 3) return null;
  return { type: 'Polygon', coordinates: [[...corners, corners[0]!]] };
}

export function addHazardZone(plan: Plan, geometry: AreaGeometry, name?: string): Plan {
  const id = nextId('zone', plan.hazardZones);
  return {
    ...plan,
    hazardZones: [...plan.hazardZones, { id, name: name ?? `Hazard zone ${plan.hazardZones.length + 1}`, geometry, source: 'drawn' }],
  };
}

/** Imported zones join the plan; one whose id is taken gets a fresh one. */
export function addImportedZones(plan: Plan, zones: readonly HazardZone[]): Plan {
  const hazardZones = [...plan.hazardZones];
  for (const zone of zones)
    hazardZones.push(hazardZones.some((existing) => existing.id === zone.id) ? { ...zone, id: nextId('zone', hazardZones) } : zone);
  return { ...plan, hazardZones };
}

export function addPlace(plan: Plan, layer: PlaceLayer, [lon, lat]: Position): Plan {
  const position = { lon: round(lon), lat: round(lat) };
  if (layer === 'borderCrossings') {
    const id = nextId('crossing', plan.borderCrossings);
    return {
      ...plan,
      borderCrossings: [
        ...plan.borderCrossings,
        { id, name: `Border crossing ${plan.borderCrossings.length + 1}`, ...position, countries: ['LY', 'EG'], open: true },
      ],
    };
  }
  const prefix = layer === 'assemblyPoints' ? 'point' : 'shelter';
  const word = layer === 'assemblyPoints' ? 'Assembly point' : 'Shelter';
  const items = plan[layer];
  return { ...plan, [layer]: [...items, { id: nextId(prefix, items), name: `${word} ${items.length + 1}`, ...position, capacity: 100 }] };
}

/** Moves an assembly point, shelter or border crossing to where the map was clicked. */
export function movePlace(plan: Plan, layer: PlaceLayer, id: string, [lon, lat]: Position): Plan {
  return {
    ...plan,
    [layer]: (plan[layer] as { id: string }[]).map((item) => (item.id === id ? { ...item, lon: round(lon), lat: round(lat) } : item)),
  };
}

/** A route from the clicked points; null with fewer than two. */
export function addRoute(plan: Plan, points: readonly Position[]): Plan | null {
  if (points.length < 2) return null;
  const coordinates = points.map(([lon, lat]) => [round(lon), round(lat)]);
  const id = nextId('route', plan.routes);
  return {
    ...plan,
    routes: [...plan.routes, { id, name: `Route ${plan.routes.length + 1}`, geometry: { type: 'LineString', coordinates }, mode: 'road' }],
  };
}

export function addContact(plan: Plan): Plan {
  const id = nextId('contact', plan.contacts);
  return {
    ...plan,
    contacts: [
      ...plan.contacts,
      { id, name: 'Duty officer', organisation: plan.ownerAgency, role: 'consulate', phone: '+000 000 0000', nationalitiesServed: [] },
    ],
  };
}

export function addTrigger(plan: Plan): Plan {
  const id = nextId('trigger', plan.triggers);
  return {
    ...plan,
    triggers: [
      ...plan.triggers,
      { id, condition: 'GDACS orange alert for the area', alertLevel: 'orange', actions: ['Tell community contacts to prepare to move'] },
    ],
  };
}

export function addTask(plan: Plan): Plan {
  const id = nextId('task', plan.tasks);
  return { ...plan, tasks: [...plan.tasks, { id, title: 'New task', role: 'Coordinator', done: false }] };
}

export function removeItem(plan: Plan, layer: ItemLayer, id: string): Plan {
  return { ...plan, [layer]: (plan[layer] as { id: string }[]).filter((item) => item.id !== id) };
}

/** Changes some fields of one item, keeping the rest. */
export function updateItem<Layer extends ItemLayer>(plan: Plan, layer: Layer, id: string, changes: Partial<Plan[Layer][number]>): Plan {
  return { ...plan, [layer]: (plan[layer] as { id: string }[]).map((item) => (item.id === id ? { ...item, ...changes } : item)) };
}

/** Two-letter codes from free text ("np, bd" → ["NP", "BD"]), duplicates and non-codes dropped. */
export function countryCodes(text: string): string[] {
  return [
    ...new Set(
      text
        .toUpperCase()
        .split(/[^A-Z]+/)
        .filter((code) => /^[A-Z]{2}$/.test(code)),
    ),
  ];
}

export function dateInDays(today: string, days: number): string {
  return new Date(Date.parse(`${today.slice(0, 10)}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A blank draft: the area is a small square around the map's centre until one is drawn. */
export function blankPlan(ownerAgency: string, centre: Position, today: string): Plan {
  const [lon, lat] = centre.map(round) as Position;
  const area: AreaGeometry = {
    type: 'Polygon',
    coordinates: [
      [
        [lon - 0.1, lat - 0.1],
        [lon + 0.1, lat - 0.1],
        [lon + 0.1, lat + 0.1],
        [lon - 0.1, lat + 0.1],
        [lon - 0.1, lat - 0.1],
      ],
    ],
  };
  return emptyPlan({
    id: crypto.randomUUID(),
    title: 'New contingency plan',
    scenario: 'armed_conflict',
    area,
    ownerAgency,
    reviewDate: dateInDays(today, 180),
  });
}

export interface ScenarioLike {
  title: string;
  hazard: string;
  bbox: [number, number, number, number];
  assemblyPoints: { id: string; name: string; lon: number; lat: number; capacity: number }[];
  shelters: { id: string; name: string; lon: number; lat: number; capacity: number }[];
  borderCrossings: { id: string; name: string; lon: number; lat: number; from: string; to: string }[];
  hazardZones: {
    features: { properties: { id: string; name: string; severity: string }; geometry: { type: 'Polygon'; coordinates: number[][][] } }[];
  };
  routes: {
    features: {
      properties: { id: string; name: string; mode: 'road' | 'sea' | 'air' };
      geometry: { type: 'LineString'; coordinates: number[][] };
    }[];
  };
}

const hazardOfScenario: Record<string, Plan['scenario']> = { conflict: 'armed_conflict', earthquake: 'earthquake', cyclone: 'cyclone' };
const levelOfSeverity: Record<string, HazardZone['alertLevel']> = { extreme: 'red', severe: 'orange', moderate: 'green' };

/** A draft plan holding a fixture scenario's geography (for the demo and tests). */
export function planFromScenario(scenario: ScenarioLike, ownerAgency: string, today: string): Plan {
  const [west, south, east, north] = scenario.bbox;
  const base = emptyPlan({
    id: crypto.randomUUID(),
    title: scenario.title,
    scenario: hazardOfScenario[scenario.hazard] ?? 'other',
    area: bboxPolygon([west, south, east, north]).geometry,
    ownerAgency,
    reviewDate: dateInDays(today, 180),
  });
  const place = ({ id, name, lon, lat, capacity }: ScenarioLike['assemblyPoints'][number]) => ({ id, name, lon, lat, capacity });
  return {
    ...base,
    hazardZones: scenario.hazardZones.features.map((feature) => ({
      id: feature.properties.id,
      name: feature.properties.name,
      geometry: feature.geometry,
      source: 'geojson' as const,
      ...(levelOfSeverity[feature.properties.severity] ? { alertLevel: levelOfSeverity[feature.properties.severity] } : {}),
    })),
    assemblyPoints: scenario.assemblyPoints.map(place),
    shelters: scenario.shelters.map(place),
    routes: scenario.routes.features.map((feature) => ({
      id: feature.properties.id,
      name: feature.properties.name,
      geometry: feature.geometry,
      mode: feature.properties.mode,
    })),
    borderCrossings: scenario.borderCrossings.map(({ id, name, lon, lat, from, to }) => ({
      id,
      name,
      lon,
      lat,
      countries: [from, to] as [string, string],
      open: true,
    })),
  };
}

export type Checked = { ok: true; plan: Plan } | { ok: false; message: string };

/** The plan as the server will check it: the first problem named with its path. */
export function checkPlan(plan: Plan): Checked {
  const parsed = planSchema.safeParse(plan);
  if (parsed.success) return { ok: true, plan: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, message: `${issue.path.join('.')}: ${issue.message}` };
}

/** Re-applies the edit a user made on `base` to `latest`: every item and field they changed wins. */
export function reapplyEdit(base: Plan, edited: Plan, latest: Plan): Plan {
  const result: Record<string, unknown> = { ...latest };
  for (const key of Object.keys(edited) as (keyof Plan)[]) {
    const before = base[key];
    const after = edited[key];
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    if (Array.isArray(after) && Array.isArray(before) && Array.isArray(latest[key]) && key !== 'partners') {
      const beforeById = new Map((before as { id: string }[]).map((item) => [item.id, JSON.stringify(item)]));
      const afterById = new Map((after as { id: string }[]).map((item) => [item.id, item]));
      const merged = (latest[key] as { id: string }[])
        .filter((item) => !beforeById.has(item.id) || afterById.has(item.id))
        .map((item) => {
          const mine = afterById.get(item.id);
          return mine && JSON.stringify(mine) !== beforeById.get(item.id) ? mine : item;
        });
      for (const item of after as { id: string }[])
        if (!beforeById.has(item.id) && !merged.some((existing) => existing.id === item.id)) merged.push(item);
      result[key] = merged;
    } else result[key] = after;
  }
  return result as Plan;
}

export const latestOf = (versions: readonly PlanVersion[]) =>
  versions.reduce<PlanVersion | null>((best, version) => (!best || version.version > best.version ? version : best), null);

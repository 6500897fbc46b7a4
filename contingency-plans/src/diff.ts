// What changed between two versions of a plan: a list of changes in words (and in structured
// fields, so the web client can word them in the reader's language), plus GeoJSON of the changed
// map items for the map.
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { distanceKm } from './geo.ts';
import { normaliseGeometry } from './geojson.ts';
import type { Plan } from './model.ts';

export type ChangeKind = 'added' | 'removed' | 'changed';

export type DiffLayer =
  | 'plan'
  | 'hazard_zone'
  | 'assembly_point'
  | 'shelter'
  | 'route'
  | 'border_crossing'
  | 'contact'
  | 'trigger'
  | 'task';

export interface PlanChange {
  kind: ChangeKind;
  layer: DiffLayer;
  itemId?: string;
  itemName?: string;
  /** The field that changed (for "changed"), e.g. "capacity". */
  field?: string;
  before?: unknown;
  after?: unknown;
  /** The change in English words, e.g. "Assembly point 'Derna port' capacity 400 → 600". */
  message: string;
}

export interface PlanDiff {
  changes: PlanChange[];
  /** Changed map items: added and changed ones where they are now, removed ones where they were. */
  map: FeatureCollection;
}

const layerWords: Record<DiffLayer, string> = {
  plan: 'Plan',
  hazard_zone: 'Hazard zone',
  assembly_point: 'Assembly point',
  shelter: 'Shelter',
  route: 'Route',
  border_crossing: 'Border crossing',
  contact: 'Contact',
  trigger: 'Trigger',
  task: 'Task',
};

type Item = { id: string } & Record<string, unknown>;

const layers: { layer: DiffLayer; key: keyof Plan }[] = [
  { layer: 'hazard_zone', key: 'hazardZones' },
  { layer: 'assembly_point', key: 'assemblyPoints' },
  { layer: 'shelter', key: 'shelters' },
  { layer: 'route', key: 'routes' },
  { layer: 'border_crossing', key: 'borderCrossings' },
  { layer: 'contact', key: 'contacts' },
  { layer: 'trigger', key: 'triggers' },
  { layer: 'task', key: 'tasks' },
];

/** "alertLevel" to "alert level". */
function fieldWords(field: string): string {
  return field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function valueWords(value: unknown): string {
  if (value === undefined || value === null || value === '') return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(valueWords).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function nameOf(item: Item): string {
  const name = item.name ?? item.title ?? item.condition ?? item.id;
  const text = String(name);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function geometryOf(item: Item): Geometry | undefined {
  if (item.geometry) return item.geometry as Geometry;
  if (typeof item.lon === 'number' && typeof item.lat === 'number') return { type: 'Point', coordinates: [item.lon, item.lat] };
  return undefined;
}

export function diffPlans(before: Plan, after: Plan): PlanDiff {
  const changes: PlanChange[] = [];
  const features: Feature[] = [];
  const mapped = (kind: ChangeKind, layer: DiffLayer, item: Item) => {
    const geometry = geometryOf(item);
    if (geometry)
      features.push({
        type: 'Feature',
        id: `${kind}:${layer}:${item.id}`,
        geometry: normaliseGeometry(geometry),
        properties: { change: kind, layer, id: item.id, name: nameOf(item) },
      });
  };

  // The plan's own fields.
  for (const field of ['title', 'scenario', 'ownerAgency', 'reviewDate', 'status'] as const) {
    if (!same(before[field], after[field])) {
      changes.push({
        kind: 'changed',
        layer: 'plan',
        field,
        before: before[field],
        after: after[field],
        message: `Plan ${fieldWords(field)} ${valueWords(before[field])} → ${valueWords(after[field])}`,
      });
    }
  }
  if (!same(before.area, after.area)) {
    changes.push({ kind: 'changed', layer: 'plan', field: 'area', message: 'Plan area redrawn' });
    features.push({
      type: 'Feature',
      id: 'changed:plan:area',
      geometry: normaliseGeometry(after.area),
      properties: { change: 'changed', layer: 'plan', id: after.id, name: after.title },
    });
  }
  for (const partner of after.partners.filter((name) => !before.partners.includes(name))) {
    changes.push({ kind: 'added', layer: 'plan', field: 'partners', after: partner, message: `Partner '${partner}' added` });
  }
  for (const partner of before.partners.filter((name) => !after.partners.includes(name))) {
    changes.push({ kind: 'removed', layer: 'plan', field: 'partners', before: partner, message: `Partner '${partner}' removed` });
  }

  // Each layer, item by item (matched by id), field by field.
  for (const { layer, key } of layers) {
    const old = new Map((before[key] as unknown as Item[]).map((item) => [item.id, item]));
    const now = new Map((after[key] as unknown as Item[]).map((item) => [item.id, item]));
    const words = layerWords[layer];
    for (const [id, item] of now) {
      const previous = old.get(id);
      if (!previous) {
        changes.push({ kind: 'added', layer, itemId: id, itemName: nameOf(item), message: `${words} '${nameOf(item)}' added` });
        mapped('added', layer, item);
        continue;
      }
      let moved = false;
      const fields = [...new Set([...Object.keys(previous), ...Object.keys(item)])].filter((field) => field !== 'id');
      const label = nameOf(previous);
      for (const field of fields) {
        if (same(previous[field], item[field])) continue;
        if (field === 'lon' || field === 'lat') {
          if (moved) continue;
          moved = true;
          const km = distanceKm(previous.lon as number, previous.lat as number, item.lon as number, item.lat as number);
          changes.push({
            kind: 'changed',
            layer,
            itemId: id,
            itemName: label,
            field: 'position',
            before: [previous.lon, previous.lat],
            after: [item.lon, item.lat],
            message: `${words} '${label}' moved ${km < 1 ? `${Math.round(km * 1000)} m` : `${km.toFixed(1)} km`}`,
          });
        } else if (field === 'geometry') {
          changes.push({ kind: 'changed', layer, itemId: id, itemName: label, field, message: `${words} '${label}' redrawn` });
        } else {
          changes.push({
            kind: 'changed',
            layer,
            itemId: id,
            itemName: label,
            field,
            before: previous[field],
            after: item[field],
            message: `${words} '${label}' ${fieldWords(field)} ${valueWords(previous[field])} → ${valueWords(item[field])}`,
          });
        }
      }
      if (!same(previous, item)) mapped('changed', layer, item);
    }
    for (const [id, item] of old) {
      if (now.has(id)) continue;
      changes.push({ kind: 'removed', layer, itemId: id, itemName: nameOf(item), message: `${words} '${nameOf(item)}' removed` });
      mapped('removed', layer, item);
    }
  }
  return { changes, map: { type: 'FeatureCollection', features } };
}

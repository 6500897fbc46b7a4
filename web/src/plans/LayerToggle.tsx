// Which layers the plan map shows.
import { mapLayerNames, type MapLayerName } from './map-features.ts';
import { m, type PlanMessageKey } from './messages.ts';

export type VisibleLayers = Record<MapLayerName, boolean>;

export const allLayersVisible = (): VisibleLayers => Object.fromEntries(mapLayerNames.map((name) => [name, true])) as VisibleLayers;

export function LayerToggle({ visible, onChange }: { visible: VisibleLayers; onChange: (visible: VisibleLayers) => void }) {
  return (
    <div class="layer-toggle" data-testid="layer-toggle">
      {mapLayerNames.map((name) => (
        <label class={`check swatch-${name}`} key={name}>
          <input
            type="checkbox"
            checked={visible[name]}
            onChange={(event) => onChange({ ...visible, [name]: (event.currentTarget as HTMLInputElement).checked })}
          />{' '}
          {m(`layer.${name === 'area' ? 'area' : name}` as PlanMessageKey)}
        </label>
      ))}
    </div>
  );
}

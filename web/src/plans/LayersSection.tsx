// The layers of an open plan: drawing tools and zone import for those who may edit, then the lists.
import type { Plan } from '#plans';
import { LayerLists } from './LayerPanels.tsx';
import { m } from './messages.ts';
import { drawingTools, drawsLine, type Drawing } from './workspace/drawing.ts';

interface Props {
  plan: Plan;
  editable: boolean;
  drawing: Drawing;
  onChange: (plan: Plan) => void;
  onImport: (file: File) => void;
}

export function LayersSection({ plan, editable, drawing, onChange, onImport }: Props) {
  return (
    <section data-testid="layers">
      {editable && <DrawingTools drawing={drawing} onImport={onImport} />}
      {editable ? (
        <LayerLists plan={plan} onChange={onChange} onMove={drawing.startMove} moving={drawing.moving} />
      ) : (
        <fieldset disabled>
          <LayerLists plan={plan} onChange={onChange} />
        </fieldset>
      )}
    </section>
  );
}

function DrawingTools({ drawing, onImport }: { drawing: Drawing; onImport: (file: File) => void }) {
  const { tool, vertices } = drawing;
  return (
    <div class="tools" data-testid="tools">
      {drawingTools.map((name) => (
        <button
          type="button"
          key={name}
          class={tool === name ? 'tool active' : 'tool secondary'}
          aria-pressed={tool === name}
          onClick={() => drawing.choose(name)}
        >
          {m(`tool.${name}`)}
        </button>
      ))}
      {drawing.hint && (
        <p class="hint" data-testid="drawing-hint">
          {drawing.hint}
        </p>
      )}
      {drawsLine(tool) && (
        <p class="row">
          <button
            type="button"
            onClick={drawing.finish}
            disabled={vertices.length < (tool === 'route' ? 2 : 3)}
            data-testid="finish-drawing"
          >
            {m('tool.finish')}
          </button>
          <button type="button" class="secondary" onClick={drawing.undo} disabled={vertices.length === 0}>
            {m('tool.undo')}
          </button>
          <button type="button" class="secondary" onClick={drawing.cancel}>
            {m('tool.cancel')}
          </button>
        </p>
      )}
      <label class="file">
        {m('import.file')}
        <input
          type="file"
          accept=".geojson,.json,.kml,.xml,.cap"
          data-testid="import-zones"
          onChange={(event) => {
            const file = (event.currentTarget as HTMLInputElement).files?.[0];
            if (file) onImport(file);
            (event.currentTarget as HTMLInputElement).value = '';
          }}
        />
      </label>
    </div>
  );
}

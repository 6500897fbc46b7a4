// Drawing on the plan map: the chosen tool, the corners placed so far, and the place being moved.
import type { Plan } from '#plans';
import { useState } from 'preact/hooks';
import { addHazardZone, addPlace, addRoute, movePlace, polygonFromVertices, type PlaceLayer, type Position } from '../draft.ts';
import { m } from '../messages.ts';

export type Tool = 'none' | 'hazardZone' | 'area' | 'assemblyPoint' | 'shelter' | 'route' | 'borderCrossing' | 'move';
export const drawingTools = ['none', 'hazardZone', 'area', 'assemblyPoint', 'shelter', 'route', 'borderCrossing'] as const;

/** Tools that collect corners until "finish" (the others act on one click). */
export const drawsLine = (tool: Tool) => tool === 'hazardZone' || tool === 'area' || tool === 'route';

export function useDrawing(plan: Plan | null, edit: (plan: Plan) => void) {
  const [tool, setTool] = useState<Tool>('none');
  const [vertices, setVertices] = useState<Position[]>([]);
  const [moving, setMoving] = useState<{ layer: PlaceLayer; id: string } | null>(null);

  function choose(next: Tool) {
    setTool(next);
    setVertices([]);
    setMoving(null);
  }

  function click(position: Position) {
    if (!plan) return;
    if (tool === 'move' && moving) {
      edit(movePlace(plan, moving.layer, moving.id, position));
      setMoving(null);
      setTool('none');
    } else if (drawsLine(tool)) setVertices((current) => [...current, position]);
    else if (tool === 'assemblyPoint' || tool === 'shelter' || tool === 'borderCrossing')
      edit(addPlace(plan, `${tool}s` as 'assemblyPoints' | 'shelters' | 'borderCrossings', position));
  }

  function finish() {
    if (!plan) return;
    if (tool === 'route') {
      const next = addRoute(plan, vertices);
      if (next) edit(next);
    } else {
      const polygon = polygonFromVertices(vertices);
      if (polygon) edit(tool === 'area' ? { ...plan, area: polygon } : addHazardZone(plan, polygon));
    }
    setVertices([]);
  }

  function startMove(layer: PlaceLayer, id: string) {
    choose('move');
    setMoving({ layer, id });
  }

  const hint = drawsLine(tool)
    ? m(tool === 'route' ? 'tool.hint.line' : 'tool.hint.polygon', { count: vertices.length })
    : tool === 'none'
      ? null
      : tool === 'move'
        ? m('tool.hint.move', {
            name: (plan?.[moving?.layer ?? 'assemblyPoints'] ?? []).find((item) => item.id === moving?.id)?.name ?? '',
          })
        : m('tool.hint.point');

  return {
    tool,
    vertices,
    moving,
    hint,
    choose,
    click,
    finish,
    startMove,
    undo: () => setVertices(vertices.slice(0, -1)),
    cancel: () => setVertices([]),
  };
}

export type Drawing = ReturnType<typeof useDrawing>;

// A journey definition as a graph: one node per step plus the trigger, edges labelled, laid out by dagre.
import { Graph, layout } from '@dagrejs/dagre';
import type { Schemas } from '../../api/client.js';

export type JourneyDefinition = Schemas['JourneyDefinition'];
type Step = JourneyDefinition['steps'][string];

export type GraphNode = {
  id: string;
  kind: 'trigger' | 'control' | Step['type'];
  step?: Step;
  position: { x: number; y: number };
  width: number;
  height: number;
};
/** The words on a branch's edges (i18n keys). */
export type EdgeKey = `journeys.edge.${'then' | 'else' | 'onEvent' | 'onTimeout'}`;
/** `label` is an EdgeKey or a literal (variant names), told apart by `labelKind`. */
export type GraphEdge = {
  id: string;
  source: string;
  target: string;
  label?: string;
  labelKind?: 'key' | 'literal';
  /** dagre's route around the other nodes, and where it put the label; filled in by the layout. */
  points?: { x: number; y: number }[];
  labelAt?: { x: number; y: number };
};

export const TRIGGER_NODE = '__trigger';
const CONTROL_NODE = '__control';
const NODE_WIDTH = 240;
const heightOf = (kind: GraphNode['kind']) => (kind === 'send' ? 132 : kind === 'trigger' ? 72 : 84);

/** Where each step goes next, with the condition that takes it there. */
function exits(id: string, step: Step): GraphEdge[] {
  const edge = (target: string, label?: string, labelKind: GraphEdge['labelKind'] = 'key'): GraphEdge => ({
    id: `${id}->${target}:${label ?? ''}`,
    source: id,
    target,
    label,
    labelKind: label ? labelKind : undefined,
  });
  switch (step.type) {
    case 'wait':
    case 'send':
    case 'update-profile':
      return [edge(step.next)];
    case 'wait-for-event':
      return [edge(step.onEvent, 'journeys.edge.onEvent'), edge(step.onTimeout, 'journeys.edge.onTimeout')];
    case 'branch':
      return [edge(step.then, 'journeys.edge.then'), edge(step.else, 'journeys.edge.else')];
    case 'split': {
      const total = step.variants.reduce((sum, v) => sum + v.weight, 0) + (step.control?.weight ?? 0);
      const share = (w: number) => `${Math.round((w / total) * 100)}%`;
      const variants = step.variants.map((v) => edge(v.next, `${v.name} · ${share(v.weight)}`, 'literal'));
      return step.control
        ? [...variants, edge(`${CONTROL_NODE}:${id}`, `control · ${share(step.control.weight)}`, 'literal')]
        : variants;
    }
    case 'exit':
      return [];
  }
}

export type JourneyGraph = { nodes: GraphNode[]; edges: GraphEdge[]; width: number; height: number };

export function journeyGraph(definition: JourneyDefinition): JourneyGraph {
  const entries = Object.entries(definition.steps) as [string, Step][];
  const nodes: Omit<GraphNode, 'position'>[] = [
    { id: TRIGGER_NODE, kind: 'trigger', width: NODE_WIDTH, height: heightOf('trigger') },
    ...entries.map(([id, step]) => ({ id, kind: step.type, step, width: NODE_WIDTH, height: heightOf(step.type) })),
  ];
  const edges: GraphEdge[] = [
    { id: `${TRIGGER_NODE}->${definition.start}`, source: TRIGGER_NODE, target: definition.start },
    ...entries.flatMap(([id, step]) => exits(id, step)),
  ];
  for (const [id, step] of entries) {
    if (step.type === 'split' && step.control)
      nodes.push({ id: `${CONTROL_NODE}:${id}`, kind: 'control', width: NODE_WIDTH, height: heightOf('control') });
  }
  // An edge to a step that does not exist would break the layout; validation reports it, the canvas skips it.
  const known = new Set(nodes.map((n) => n.id));
  const drawn = edges.filter((e) => known.has(e.source) && known.has(e.target));

  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 48, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const e of drawn)
    g.setEdge(e.source, e.target, { width: e.label ? 90 : 0, height: e.label ? 20 : 0, labelpos: 'c' }, e.id);
  layout(g);
  const { width = 0, height = 0 } = g.graph();
  return {
    width,
    height,
    // dagre gives centres; React Flow wants top-left corners.
    nodes: nodes.map((n) => {
      const { x, y } = g.node(n.id);
      return { ...n, position: { x: x - n.width / 2, y: y - n.height / 2 } };
    }),
    edges: drawn.map((e) => {
      const laid = g.edge({ v: e.source, w: e.target, name: e.id });
      return {
        ...e,
        points: laid.points,
        labelAt: e.label && laid.x !== undefined ? { x: laid.x, y: laid.y! } : undefined,
      };
    }),
  };
}

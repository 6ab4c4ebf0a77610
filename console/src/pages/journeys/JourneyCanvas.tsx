// The journey drawn from its definition: React Flow over a dagre layout, read-only, numbers on send steps.
import '@xyflow/react/dist/style.css';
import { Background, Controls, MarkerType, ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client.js';
import { journeyGraph, type EdgeKey, type JourneyDefinition } from './journeyGraph.js';
import { RoutedEdge, type RoutedFlowEdge } from './RoutedEdge.js';
import { StepNode, type StepFlowNode, type StepMark, type StepNodeData } from './StepNode.js';

const NODE_TYPES = { step: StepNode };
const EDGE_TYPES = { routed: RoutedEdge };

export function stepNumbers(lines: Schemas['FunnelLine'][], stepId: string): StepNodeData['numbers'] {
  const mine = lines.filter((l) => l.stepId === stepId);
  const sum = (key: keyof NonNullable<StepNodeData['numbers']>) => mine.reduce((total, l) => total + l[key], 0);
  return {
    sent: sum('sent'),
    delivered: sum('delivered'),
    opened: sum('opened'),
    clicked: sum('clicked'),
    converted: sum('converted'),
    skipped: sum('skipped'),
    capped: sum('capped'),
  };
}

export function JourneyCanvas({
  definition,
  lines,
  marks,
  label,
  maxHeight = 960,
}: {
  definition: JourneyDefinition;
  lines: Schemas['FunnelLine'][];
  /** Steps to mark (node id → why): validation problems in the editor, changes between versions. */
  marks?: ReadonlyMap<string, StepMark>;
  label?: string;
  maxHeight?: number;
}) {
  const { t } = useTranslation();
  const { nodes, edges, height } = useMemo(() => {
    const graph = journeyGraph(definition);
    const flowNodes: StepFlowNode[] = graph.nodes.map((n) => ({
      id: n.id,
      type: 'step',
      position: n.position,
      data: {
        graph: n,
        definition,
        numbers: n.kind === 'send' ? stepNumbers(lines, n.id) : undefined,
        mark: marks?.get(n.id),
      },
      draggable: false,
      connectable: false,
      ariaLabel: `${t(`journeys.kind.${n.kind}`)} ${n.kind === 'trigger' || n.kind === 'control' ? '' : n.id}`.trim(),
    }));
    const flowEdges: RoutedFlowEdge[] = graph.edges.map((e) => ({
      id: e.id,
      type: 'routed',
      source: e.source,
      target: e.target,
      markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
      data: {
        points: e.points ?? [],
        label: e.label ? (e.labelKind === 'key' ? t(e.label as EdgeKey) : e.label) : undefined,
        labelAt: e.labelAt,
      },
    }));
    return { nodes: flowNodes, edges: flowEdges, height: graph.height };
  }, [definition, lines, marks, t]);

  return (
    // Tall enough to draw the journey at full size, up to a screenful; larger ones zoom out to fit.
    <div
      style={{ height: Math.min(Math.max(height + 32, 320), maxHeight), width: '100%' }}
      data-testid="journey-canvas"
      role="figure"
      aria-label={label ?? t('journeys.canvas')}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        fitView
        fitViewOptions={{ maxZoom: 1, padding: 0.05 }}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        minZoom={0.2}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

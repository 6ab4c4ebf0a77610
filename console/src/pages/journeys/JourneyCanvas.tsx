// The journey drawn from its definition: React Flow over a dagre layout, read-only, numbers on send steps.
import '@xyflow/react/dist/style.css';
import { Background, Controls, MarkerType, ReactFlow, type Edge } from '@xyflow/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client.js';
import { journeyGraph, type JourneyDefinition } from './journeyGraph.js';
import { StepNode, type StepFlowNode, type StepNodeData } from './StepNode.js';

const NODE_TYPES = { step: StepNode };

export function stepNumbers(lines: Schemas['FunnelLine'][], stepId: string): StepNodeData['numbers'] {
  const mine = lines.filter((l) => l.stepId === stepId);
  const sum = (key: keyof NonNullable<StepNodeData['numbers']>) => mine.reduce((total, l) => total + l[key], 0);
  return { sent: sum('sent'), delivered: sum('delivered'), opened: sum('opened'), clicked: sum('clicked'), converted: sum('converted'), skipped: sum('skipped'), capped: sum('capped') };
}

export function JourneyCanvas({ definition, lines }: { definition: JourneyDefinition; lines: Schemas['FunnelLine'][] }) {
  const { t } = useTranslation();
  const { nodes, edges } = useMemo(() => {
    const graph = journeyGraph(definition);
    const flowNodes: StepFlowNode[] = graph.nodes.map((n) => ({
      id: n.id,
      type: 'step',
      position: n.position,
      data: { graph: n, definition, numbers: n.kind === 'send' ? stepNumbers(lines, n.id) : undefined },
      draggable: false,
      connectable: false,
      ariaLabel: `${t(`journeys.kind.${n.kind}`)} ${n.kind === 'trigger' || n.kind === 'control' ? '' : n.id}`.trim(),
    }));
    const flowEdges: Edge[] = graph.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      label: e.label ? (e.labelKind === 'key' ? t(e.label) : e.label) : undefined,
      markerEnd: { type: MarkerType.ArrowClosed },
      labelBgPadding: [4, 2] as [number, number],
    }));
    return { nodes: flowNodes, edges: flowEdges };
  }, [definition, lines, t]);

  return (
    <div style={{ height: 560, width: '100%' }} data-testid="journey-canvas" role="figure" aria-label={t('journeys.canvas')}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        fitView
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        minZoom={0.2}
        proOptions={{ hideAttribution: false }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

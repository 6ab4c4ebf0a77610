// An edge drawn along dagre's route (around the nodes in its way), its label where dagre left room for it.
import { BaseEdge, EdgeLabelRenderer, type Edge, type EdgeProps } from '@xyflow/react';

export type RoutedEdgeData = { points: { x: number; y: number }[]; label?: string; labelAt?: { x: number; y: number } };
export type RoutedFlowEdge = Edge<RoutedEdgeData, 'routed'>;

/** A path through the points, corners rounded by quadratic curves through each midpoint. */
function pathThrough(points: { x: number; y: number }[]): string {
  if (points.length < 3) return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
    d += ` Q${points[i].x},${points[i].y} ${mid.x},${mid.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L${last.x},${last.y}`;
}

export function RoutedEdge({ id, data, sourceX, sourceY, targetX, targetY, markerEnd }: EdgeProps<RoutedFlowEdge>) {
  // The ends come from React Flow (its handles), the middle from dagre.
  const middle = data?.points.slice(1, -1) ?? [];
  const path = pathThrough([{ x: sourceX, y: sourceY }, ...middle, { x: targetX, y: targetY }]);
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} />
      {data?.label && data.labelAt && (
        <EdgeLabelRenderer>
          <div
            className="journey-edge-label nodrag nopan"
            style={{ transform: `translate(-50%, -50%) translate(${data.labelAt.x}px, ${data.labelAt.y}px)` }}
          >
            {data.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

// The API's validation problems pinned to what they concern: a step, the trigger, or the journey as a whole.
import { TRIGGER_NODE } from './journeyGraph.js';
import type { JourneyProblem } from './queries.js';

/** The canvas node a problem's path points at (`steps.welcome.next` → `welcome`; `start` → the trigger). */
export function problemNode(path: string): string | undefined {
  const [head, step] = path.split('.');
  if (head === 'steps' && step) return step;
  if (head === 'start' || head === 'trigger' || head === 'entry') return TRIGGER_NODE;
  return undefined;
}

/** Node id → the messages of the problems on it. */
export function problemsByNode(problems: JourneyProblem[]): Map<string, string[]> {
  const byNode = new Map<string, string[]>();
  for (const p of problems) {
    const node = problemNode(p.path);
    if (node) byNode.set(node, [...(byNode.get(node) ?? []), p.message]);
  }
  return byNode;
}

// One step on the journey canvas: what it does in words, and for a send step its live numbers.
import { Badge, Group, Paper, Text } from '@mantine/core';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client.js';
import { useFormat } from '../../components/format.js';
import type { GraphNode, JourneyDefinition } from './journeyGraph.js';

type FunnelLine = Schemas['FunnelLine'];
export type StepNodeData = {
  graph: GraphNode;
  definition: JourneyDefinition;
  /** The step's message counters summed over its variants; undefined when not a send step. */
  numbers?: Pick<FunnelLine, 'sent' | 'delivered' | 'opened' | 'clicked' | 'converted' | 'skipped' | 'capped'>;
  mark?: StepMark;
};
const MARK_COLOR = {
  problem: 'var(--mantine-color-red-7)',
  added: 'var(--mantine-color-green-7)',
  changed: 'var(--mantine-color-blue-7)',
};
/** A step marked on the canvas: a validation problem (red) or a change between versions (blue). */
export type StepMark = { kind: 'problem' | 'added' | 'changed'; messages: string[] };
export type StepFlowNode = Node<StepNodeData, 'step'>;

const COLORS: Record<GraphNode['kind'], string> = {
  trigger: 'indigo',
  wait: 'gray',
  'wait-for-event': 'grape',
  branch: 'orange',
  split: 'cyan',
  send: 'green',
  'update-profile': 'teal',
  exit: 'dark',
  control: 'violet',
};

function useSummary(data: StepNodeData): string {
  const { t } = useTranslation();
  const { graph, definition } = data;
  const step = graph.step;
  if (graph.kind === 'trigger') {
    const trigger = definition.trigger;
    if (trigger.kind === 'event') return t('journeys.summary.triggerEvent', { event: trigger.event });
    if (trigger.kind === 'segment') return t('journeys.summary.triggerSegment');
    return t('journeys.summary.triggerManual');
  }
  if (graph.kind === 'control') return t('journeys.summary.control');
  if (!step) return '';
  switch (step.type) {
    case 'wait':
      return step.duration
        ? t('journeys.summary.waitFor', { duration: step.duration })
        : t('journeys.summary.waitUntil', { time: step.until?.time });
    case 'wait-for-event':
      return t('journeys.summary.waitForEvent', { event: step.event, timeout: step.timeout });
    case 'branch':
      return step.message
        ? t('journeys.summary.branchMessage', { step: step.message.step, outcome: step.message.outcome })
        : t('journeys.summary.branchCondition');
    case 'split':
      return t('journeys.summary.split', { count: step.variants.length });
    case 'send':
      return `${step.channel} · ${step.template}`;
    case 'update-profile':
      return Object.keys({ ...step.set, ...step.increment }).join(', ');
    case 'exit':
      return t('journeys.summary.exit');
  }
}

export function StepNode({ id, data }: NodeProps<StepFlowNode>) {
  const { t } = useTranslation();
  const format = useFormat();
  const summary = useSummary(data);
  const kind = data.graph.kind;
  const n = data.numbers;
  const mark = data.mark;
  return (
    <Paper
      withBorder
      shadow="xs"
      p={8}
      w={data.graph.width}
      h={data.graph.height}
      radius="md"
      data-step={id}
      data-mark={mark?.kind}
      style={mark ? { borderColor: MARK_COLOR[mark.kind], borderWidth: 3 } : undefined}
      title={mark?.messages.join('\n')}
    >
      {kind !== 'trigger' && <Handle type="target" position={Position.Top} />}
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Badge color={COLORS[kind]} variant="dot" size="sm">
          {t(`journeys.kind.${kind}`)}
        </Badge>
        {kind !== 'trigger' && kind !== 'control' && (
          <Text size="xs" c="dimmed" truncate>
            {id}
          </Text>
        )}
      </Group>
      {mark?.kind === 'problem' ? (
        <Text size="xs" mt={4} c="red.9" lineClamp={2} data-testid="step-problem">
          {mark.messages.join('; ')}
        </Text>
      ) : (
        <Text size="sm" mt={4} lineClamp={2}>
          {mark ? `${t(`journeyWork.versions.${mark.kind}`)} · ` : ''}
          {summary}
        </Text>
      )}
      {n && (
        <Text size="xs" mt={4} c="dark.4" data-testid="step-numbers">
          {t('journeys.numbers.sent')} {format.number(n.sent)} · {t('journeys.numbers.opened')}{' '}
          {format.number(n.opened)} · {t('journeys.numbers.clicked')} {format.number(n.clicked)}
          <br />
          {t('journeys.numbers.converted')} {format.number(n.converted)} · {t('journeys.numbers.capped')}{' '}
          {format.number(n.capped)} · {t('journeys.numbers.skipped')} {format.number(n.skipped)}
        </Text>
      )}
      {kind !== 'exit' && kind !== 'control' && <Handle type="source" position={Position.Bottom} />}
    </Paper>
  );
}

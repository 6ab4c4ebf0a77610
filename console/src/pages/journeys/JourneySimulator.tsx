// Simulate: one customer (stored, or made up) through the journey over a timeline of events on a virtual clock,
// each step and send drawn on a time axis. Nothing is stored or sent.
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { useFormat } from '../../components/format.js';
import { WideTable } from '../../components/WideTable.js';
import type { JourneyDefinition } from './journeyGraph.js';
import { type Simulation, type SimulationInput, useSimulation } from './queries.js';

type Lane = 'event' | 'step' | 'send';
type Moment = { at: string; lane: Lane; what: string; detail?: string };
const LANE_COLOR: Record<Lane, string> = { event: 'grape', step: 'indigo', send: 'blue' };
const ROW = 22;

/** "+1d 2h 5m" from the start: how a marketer reads a journey's timing. */
export function offset(fromIso: string, toIso: string): string {
  let minutes = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000);
  if (minutes === 0) return '+0';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 1440],
    ['h', 60],
    ['m', 1],
  ] as const) {
    if (minutes >= size) {
      parts.push(`${Math.floor(minutes / size)}${unit}`);
      minutes %= size;
    }
  }
  return `+${parts.join(' ')}`;
}

/** Everything that happened, in time order, tagged with its lane on the axis. */
export function moments(input: SimulationInput, result: Simulation): Moment[] {
  const all: Moment[] = [
    ...input.events.map((e) => ({ at: e.at, lane: 'event' as const, what: e.event })),
    ...result.steps.map((s) => ({ at: s.at, lane: 'step' as const, what: s.step, detail: s.type })),
    ...result.sends.map((s) => ({
      at: s.at,
      lane: 'send' as const,
      what: s.step,
      detail: `${s.channel} · ${s.template}${s.variant ? ` · ${s.variant}` : ''}`,
    })),
  ];
  return all.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function minuteNow(): string {
  const now = new Date();
  now.setSeconds(0, 0);
  return now.toISOString();
}

function sampleTimeline(definition: JourneyDefinition, start: string): string {
  const at = (minutes: number) => new Date(Date.parse(start) + minutes * 60_000).toISOString();
  const events =
    definition.trigger.kind === 'event' ? [{ at: at(1), event: definition.trigger.event, properties: {} }] : [];
  return JSON.stringify(events, null, 2);
}

export function JourneySimulator({ journeyId, definition }: { journeyId: string; definition: JourneyDefinition }) {
  const { t } = useTranslation();
  const simulate = useSimulation(journeyId);
  const [userId, setUserId] = useState('');
  const [start, setStart] = useState(minuteNow);
  const [timeline, setTimeline] = useState(() => sampleTimeline(definition, start));
  const [horizon, setHorizon] = useState('60d');
  const [timelineError, setTimelineError] = useState<string>();
  const [ran, setRan] = useState<SimulationInput>();

  const run = () => {
    let events: SimulationInput['events'];
    try {
      events = JSON.parse(timeline);
      if (!Array.isArray(events)) throw new Error(t('journeyWork.simulate.notAList'));
    } catch (error) {
      setTimelineError((error as Error).message);
      return;
    }
    setTimelineError(undefined);
    const input: SimulationInput = { start, events, horizon, ...(userId.trim() ? { userId: userId.trim() } : {}) };
    setRan(input);
    simulate.mutate(input);
  };

  return (
    <Stack>
      <Card withBorder padding="md" component="section" aria-labelledby="simulate-title">
        <Title order={2} size="h4" id="simulate-title" mb="xs">
          {t('journeyWork.simulate.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('journeyWork.simulate.help')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('journeyWork.simulate.customer')}
            description={t('journeyWork.simulate.customerHelp')}
            placeholder="simulated-customer"
            value={userId}
            onChange={(e) => setUserId(e.currentTarget.value)}
          />
          <TextInput
            label={t('journeyWork.simulate.start')}
            description={t('journeyWork.simulate.startHelp')}
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
          />
          <TextInput
            label={t('journeyWork.simulate.horizon')}
            description={t('journeyWork.simulate.horizonHelp')}
            value={horizon}
            onChange={(e) => setHorizon(e.currentTarget.value)}
          />
        </SimpleGrid>
        <Textarea
          mt="sm"
          label={t('journeyWork.simulate.timeline')}
          description={t('journeyWork.simulate.timelineHelp')}
          autosize
          minRows={4}
          maxRows={16}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          value={timeline}
          onChange={(e) => setTimeline(e.currentTarget.value)}
          error={timelineError}
        />
        <Button mt="sm" onClick={run} loading={simulate.isPending}>
          {t('journeyWork.simulate.run')}
        </Button>
      </Card>
      <ApiErrorAlert error={simulate.error} title={t('journeyWork.simulate.refused')} />
      {simulate.data && ran && <SimulationResult input={ran} result={simulate.data} />}
    </Stack>
  );
}

function SimulationResult({ input, result }: { input: SimulationInput; result: Simulation }) {
  const { t } = useTranslation();
  const format = useFormat();
  const all = moments(input, result);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="simulation-result" data-testid="simulation">
      <Stack gap="sm">
        <Title order={2} size="h4" id="simulation-result">
          {t('journeyWork.simulate.result')}
        </Title>
        <Alert color={result.entered ? 'blue' : 'gray'} data-testid="simulation-verdict" data-status={result.status}>
          {result.entered
            ? t('journeyWork.simulate.verdict', {
                status: t(`journeyWork.simulate.status.${result.status}`),
                steps: result.steps.length,
                sends: result.sends.length,
              })
            : t('journeyWork.simulate.notEntered')}
          {result.endReason ? ` (${result.endReason})` : ''}
          {result.pendingWakeUp
            ? ` ${t('journeyWork.simulate.pending', { at: format.dateTime(result.pendingWakeUp) })}`
            : ''}
        </Alert>
        {all.length > 0 && <TimeAxis start={input.start} moments={all} />}
        <WideTable label={t('journeyWork.simulate.result')} minWidth={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('journeyWork.simulate.when')}</Table.Th>
              <Table.Th scope="col">{t('journeyWork.simulate.after')}</Table.Th>
              <Table.Th scope="col">{t('journeyWork.simulate.lane')}</Table.Th>
              <Table.Th scope="col">{t('journeyWork.simulate.what')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {all.map((m, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the same step may run twice at one instant
              <Table.Tr key={i} data-testid="simulation-row" data-lane={m.lane}>
                <Table.Td>{format.dateTime(m.at)}</Table.Td>
                <Table.Td>{offset(input.start, m.at)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={LANE_COLOR[m.lane]}>
                    {t(`journeyWork.simulate.lanes.${m.lane}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {m.what}
                  {m.detail ? ` · ${m.detail}` : ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </WideTable>
      </Stack>
    </Card>
  );
}

/** Three lanes (events, steps, sends) over the simulated time; moments close together stack up. */
function TimeAxis({ start, moments: all }: { start: string; moments: Moment[] }) {
  const { t } = useTranslation();
  const t0 = Date.parse(start);
  const t1 = Math.max(t0 + 60_000, ...all.map((m) => Date.parse(m.at)));
  const x = (at: string) => ((Date.parse(at) - t0) / (t1 - t0)) * 100;
  const lanes = (['event', 'step', 'send'] as const).map((lane) => {
    const mine = all.filter((m) => m.lane === lane);
    const placed: { m: Moment; x: number; level: number }[] = [];
    for (const m of mine) {
      const at = x(m.at);
      // Within 12 % of the previous one, labels would overlap: go one row down.
      const previous = placed.filter((p) => at - p.x < 12);
      const level = previous.length === 0 ? 0 : Math.max(...previous.map((p) => p.level)) + 1;
      placed.push({ m, x: at, level });
    }
    return { lane, placed, rows: Math.max(1, ...placed.map((p) => p.level + 1)) };
  });
  return (
    <figure style={{ margin: 0 }} data-testid="simulation-axis" aria-label={t('journeyWork.simulate.axis')}>
      <Stack gap={4}>
        {lanes.map(({ lane, placed, rows }) => (
          <Group key={lane} gap="xs" wrap="nowrap" align="flex-start">
            <Text size="xs" w={64} fw={600} style={{ flexShrink: 0 }}>
              {t(`journeyWork.simulate.lanes.${lane}`)}
            </Text>
            <div
              style={{
                position: 'relative',
                flex: 1,
                height: rows * ROW + 4,
                borderBottom: '1px solid var(--mantine-color-gray-4)',
                marginRight: 120,
              }}
            >
              {placed.map(({ m, x: left, level }, i) => (
                <div
                  // biome-ignore lint/suspicious/noArrayIndexKey: moments may repeat
                  key={i}
                  data-testid="axis-mark"
                  data-lane={lane}
                  style={{
                    position: 'absolute',
                    left: `${left}%`,
                    top: level * ROW,
                    display: 'flex',
                    alignItems: 'center',
                    gap: 4,
                    whiteSpace: 'nowrap',
                  }}
                >
                  <span
                    aria-hidden="true"
                    style={{
                      width: 10,
                      height: 10,
                      borderRadius: 5,
                      background: `var(--mantine-color-${LANE_COLOR[lane]}-7)`,
                    }}
                  />
                  <Text size="xs">
                    {m.what} {offset(start, m.at)}
                  </Text>
                </div>
              ))}
            </div>
          </Group>
        ))}
        <Group justify="space-between" ml={72} mr={120}>
          <Text size="xs" c="dimmed">
            {offset(start, start)}
          </Text>
          <Text size="xs" c="dimmed">
            {offset(start, new Date(t1).toISOString())}
          </Text>
        </Group>
      </Stack>
    </figure>
  );
}

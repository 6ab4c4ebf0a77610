// One journey: its graph with live numbers on every send step, and the same numbers as a table.
import { Anchor, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Schemas } from '../../api/client.js';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { useFormat } from '../../components/format.js';
import { WideTable } from '../../components/WideTable.js';
import { PageLoading } from '../../components/PageLoading.js';
import { JourneyCanvas } from './JourneyCanvas.js';
import { JourneyStatusBadge } from './JourneyStatusBadge.js';
import { useJourney, useJourneyFunnel } from './queries.js';

export default function JourneyPage() {
  const { t } = useTranslation();
  const journeyId = useParams().journeyId ?? '';
  const journey = useJourney(journeyId);
  const funnel = useJourneyFunnel(journeyId);

  if (journey.isPending) return <PageLoading />;
  if (journey.error) return <ApiErrorAlert error={journey.error} />;
  const j = journey.data;
  const lines = funnel.data?.lines ?? [];
  return (
    <Stack>
      <Anchor component={Link} to="/journeys" size="sm">
        ← {t('journeys.title')}
      </Anchor>
      <Group gap="sm">
        <Title order={1}>{j.name}</Title>
        <JourneyStatusBadge status={j.status} />
      </Group>
      <Text c="dimmed" size="sm">
        {j.id} · {t('journeys.versionSummary', { latest: j.latestVersion, active: j.activeVersion ?? '—' })}
      </Text>
      {j.definition.description && <Text>{j.definition.description}</Text>}
      <Card withBorder padding={0}>
        <JourneyCanvas definition={j.definition} lines={lines} />
      </Card>
      <Card withBorder component="section" aria-labelledby="funnel-title">
        <Title order={2} size="h3" id="funnel-title">
          {t('journeys.numbers.title')}
        </Title>
        {funnel.data && (
          <Text size="sm" c="dimmed" mb="sm">
            {t('journeys.numbers.window', { from: funnel.data.from, to: funnel.data.to })}
          </Text>
        )}
        {funnel.error ? <ApiErrorAlert error={funnel.error} /> : <FunnelTable lines={lines} />}
      </Card>
    </Stack>
  );
}

function FunnelTable({ lines }: { lines: Schemas['FunnelLine'][] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (lines.length === 0) return <Text c="dimmed">{t('journeys.numbers.none')}</Text>;
  const counts = ['requested', 'sent', 'delivered', 'opened', 'clicked', 'converted', 'capped', 'skipped'] as const;
  return (
    <WideTable label={t('journeys.numbers.title')} minWidth={900}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('journeys.numbers.step')}</Table.Th>
          <Table.Th scope="col">{t('journeys.numbers.variant')}</Table.Th>
          {counts.map((c) => (
            <Table.Th scope="col" key={c} ta="right">
              {t(`journeys.numbers.${c}`)}
            </Table.Th>
          ))}
          <Table.Th scope="col" ta="right">
            {t('journeys.numbers.conversionRate')}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((l) => (
          <Table.Tr key={`${l.stepId}/${l.variant}/${l.template}`}>
            <Table.Td>{l.stepId}</Table.Td>
            <Table.Td>{l.variant === '-' ? '—' : l.variant}</Table.Td>
            {counts.map((c) => (
              <Table.Td key={c} ta="right">
                {f.number(l[c])}
              </Table.Td>
            ))}
            <Table.Td ta="right">{f.percent(l.conversionRate)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </WideTable>
  );
}

// What a Pinpoint export held, endpoint by endpoint: per channel, inactive, opted out, and advertising consent.
import { Card, SimpleGrid, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Figure } from '../../components/Figure.js';
import { useFormat } from '../../components/format.js';
import type { EndpointTally as Tally } from './queries.js';

const COUNTS = [
  'endpoints',
  'inactive',
  'optedOut',
  'subscribedAdvertisingUnknown',
  'advertisingGranted',
  'advertisingRefused',
  'withoutDate',
] as const;

export function EndpointTally({ tally }: { tally: Tally }) {
  const { t } = useTranslation();
  const format = useFormat();
  const listed = (counts: Record<string, number>) =>
    Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, count]) => `${name} ${format.number(count)}`)
      .join(' · ') || '—';
  return (
    <Card withBorder component="section" aria-labelledby="endpoints-title">
      <Title order={3} id="endpoints-title" mb="xs">
        {t('import.endpoints.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} data-testid="endpoint-tally">
        {COUNTS.map((name) => (
          <Figure key={name} label={t(`import.endpoints.${name}`)} value={format.number(tally[name])} />
        ))}
      </SimpleGrid>
      <Text size="sm" mt="sm">
        {t('import.endpoints.byChannel')}: {listed(tally.byChannel)}
      </Text>
      <Text size="sm">
        {t('import.endpoints.notDelivered')}: {listed(tally.notDelivered)}
      </Text>
      <Text size="sm" c="dimmed" mt="xs">
        {t('import.endpoints.advertisingNote')}
      </Text>
    </Card>
  );
}

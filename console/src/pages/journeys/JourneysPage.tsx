// Journeys: every journey with its status and versions; each opens its graph.
import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { useFormat } from '../../components/format.js';
import { WideTable } from '../../components/WideTable.js';
import { PageLoading } from '../../components/PageLoading.js';
import { JourneyStatusBadge } from './JourneyStatusBadge.js';
import { useJourneys } from './queries.js';

export default function JourneysPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const journeys = useJourneys();
  return (
    <Stack>
      <Title order={1}>{t('journeys.title')}</Title>
      {journeys.isPending ? (
        <PageLoading />
      ) : journeys.error ? (
        <ApiErrorAlert error={journeys.error} />
      ) : journeys.data.journeys.length === 0 ? (
        <Text c="dimmed">{t('journeys.none')}</Text>
      ) : (
        <WideTable label={t('journeys.title')} minWidth={600}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('journeys.name')}</Table.Th>
              <Table.Th scope="col">{t('journeys.statusLabel')}</Table.Th>
              <Table.Th scope="col">{t('journeys.versions')}</Table.Th>
              <Table.Th scope="col">{t('journeys.updatedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {journeys.data.journeys.map((j) => (
              <Table.Tr key={j.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/journeys/${encodeURIComponent(j.id)}`}>
                    {j.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {j.id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <JourneyStatusBadge status={j.status} />
                </Table.Td>
                <Table.Td>
                  {t('journeys.versionSummary', { latest: j.latestVersion, active: j.activeVersion ?? '—' })}
                </Table.Td>
                <Table.Td>{format.dateTime(j.updatedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </WideTable>
      )}
    </Stack>
  );
}

// Broadcasts: every one-off campaign with its audience, status and progress; each opens its page.
import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { useFormat } from '../../components/format.js';
import { PageLoading } from '../../components/PageLoading.js';
import { WideTable } from '../../components/WideTable.js';
import { BroadcastStatusBadge } from './BroadcastStatusBadge.js';
import { useBroadcasts } from './queries.js';

export default function BroadcastsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const broadcasts = useBroadcasts();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('broadcasts.title')}</Title>
        <Button component={Link} to="/broadcasts/new">
          {t('broadcasts.new')}
        </Button>
      </Group>
      <Text c="dimmed">{t('broadcasts.intro')}</Text>
      {broadcasts.isPending ? (
        <PageLoading />
      ) : broadcasts.error ? (
        <ApiErrorAlert error={broadcasts.error} />
      ) : broadcasts.data.broadcasts.length === 0 ? (
        <Text c="dimmed">{t('broadcasts.none')}</Text>
      ) : (
        <WideTable label={t('broadcasts.title')} minWidth={700}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('broadcasts.name')}</Table.Th>
              <Table.Th scope="col">{t('broadcasts.segment')}</Table.Th>
              <Table.Th scope="col">{t('broadcasts.statusLabel')}</Table.Th>
              <Table.Th scope="col">{t('broadcasts.progress.enqueued')}</Table.Th>
              <Table.Th scope="col">{t('broadcasts.progress.heldOut')}</Table.Th>
              <Table.Th scope="col">{t('broadcasts.updatedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {broadcasts.data.broadcasts.map((b) => (
              <Table.Tr key={b.definition.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/broadcasts/${encodeURIComponent(b.definition.id)}`}>
                    {b.definition.name ?? b.definition.id}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {b.definition.id}
                  </Text>
                </Table.Td>
                <Table.Td>{b.definition.segment}</Table.Td>
                <Table.Td>
                  <BroadcastStatusBadge status={b.status} />
                </Table.Td>
                <Table.Td>{format.number(b.progress.enqueued)}</Table.Td>
                <Table.Td>{format.number(b.progress.heldOut)}</Table.Td>
                <Table.Td>{format.dateTime(b.updatedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </WideTable>
      )}
    </Stack>
  );
}

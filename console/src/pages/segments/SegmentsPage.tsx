// Segments: every saved audience with its condition in short; each opens the builder.
import { Anchor, Button, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { WideTable } from '../../components/WideTable.js';
import { useSegments } from './queries.js';

export default function SegmentsPage() {
  const { t } = useTranslation();
  const segments = useSegments();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('segments.title')}</Title>
        <Button component={Link} to="/segments/new">
          {t('segments.new')}
        </Button>
      </Group>
      <Text c="dimmed">{t('segments.intro')}</Text>
      {segments.isPending ? (
        <PageLoading />
      ) : segments.error ? (
        <ApiErrorAlert error={segments.error} />
      ) : segments.data.segments.length === 0 ? (
        <Text c="dimmed">{t('segments.none')}</Text>
      ) : (
        <WideTable label={t('segments.title')} minWidth={600}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('segments.name')}</Table.Th>
              <Table.Th scope="col">{t('segments.condition')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {segments.data.segments.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/segments/${encodeURIComponent(s.id)}`}>
                    {s.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {s.id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Code>{JSON.stringify(s.condition)}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </WideTable>
      )}
    </Stack>
  );
}

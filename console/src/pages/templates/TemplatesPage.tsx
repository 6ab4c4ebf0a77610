// Templates: every message template with its channel and variants; each opens its editor and preview.
import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { WideTable } from '../../components/WideTable.js';
import { useTemplates } from './queries.js';

export default function TemplatesPage() {
  const { t } = useTranslation();
  const templates = useTemplates();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('templates.title')}</Title>
        <Button component={Link} to="/templates/new">
          {t('templates.new')}
        </Button>
      </Group>
      {templates.isPending ? (
        <PageLoading />
      ) : templates.error ? (
        <ApiErrorAlert error={templates.error} />
      ) : templates.data.templates.length === 0 ? (
        <Text c="dimmed">{t('templates.none')}</Text>
      ) : (
        <WideTable label={t('templates.title')} minWidth={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('templates.name')}</Table.Th>
              <Table.Th scope="col">{t('templates.channel')}</Table.Th>
              <Table.Th scope="col">{t('templates.variants')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {templates.data.templates.map((template) => (
              <Table.Tr key={template.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/templates/${encodeURIComponent(template.id)}`}>
                    {template.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {template.id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light">{t(`templates.channels.${template.channel}`)}</Badge>
                </Table.Td>
                <Table.Td>{Object.keys(template.variants ?? {}).join(', ') || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </WideTable>
      )}
    </Stack>
  );
}

// The latest imports, the console's and the CLI's, newest first: each opens on its own page with its report.
import { Anchor, Badge, Card, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { useFormat } from '../../components/format.js';
import { WideTable } from '../../components/WideTable.js';
import { type ImportState, useLatestImports } from './queries.js';

const STATE_COLOR: Record<ImportState, string> = {
  'waiting-for-file': 'gray',
  reading: 'indigo',
  applying: 'indigo',
  done: 'teal',
  failed: 'red',
  cancelled: 'orange',
};

export function EarlierImports() {
  const { t } = useTranslation();
  const format = useFormat();
  const latest = useLatestImports();
  return (
    <Card withBorder component="section" aria-labelledby="earlier-imports-title">
      <Title order={2} size="h3" id="earlier-imports-title">
        {t('import.earlier.title')}
      </Title>
      <ApiErrorAlert error={latest.error} />
      {latest.data?.imports.length === 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('import.earlier.none')}
        </Text>
      )}
      {latest.data && latest.data.imports.length > 0 && (
        <WideTable label={t('import.earlier.title')} minWidth={760}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('import.earlier.started')}</Table.Th>
              <Table.Th>{t('import.earlier.by')}</Table.Th>
              <Table.Th>{t('import.earlier.what')}</Table.Th>
              <Table.Th>{t('import.earlier.state')}</Table.Th>
              <Table.Th ta="right">{t('import.figures.records')}</Table.Th>
              <Table.Th ta="right">{t('import.figures.created')}</Table.Th>
              <Table.Th ta="right">{t('import.figures.changed')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {latest.data.imports.map(({ job, state, report }) => (
              <Table.Tr key={job.id} data-import={job.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/customers/import/${encodeURIComponent(job.id)}`} size="sm">
                    {format.dateTime(job.createdAt)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{job.createdBy}</Table.Td>
                <Table.Td>
                  {t(`import.sources.${job.source}`)}
                  {job.dryRun ? ` · ${t('import.dryRun')}` : ''}
                  {job.upload ? '' : ` · ${t('import.earlier.posted')}`}
                </Table.Td>
                <Table.Td miw={130}>
                  {/* A job the CLI posted has no state of its own: its chunks come as the CLI sends them. */}
                  <Badge color={state ? STATE_COLOR[state] : 'gray'} variant="dot">
                    {t(`import.earlier.states.${state ?? 'posted'}`)}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">{format.number(report.records)}</Table.Td>
                <Table.Td ta="right">{format.number(report.created)}</Table.Td>
                <Table.Td ta="right">{format.number(report.changed)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </WideTable>
      )}
    </Card>
  );
}

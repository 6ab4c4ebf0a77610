// The rows the import refused: row number, column and the reason, as the reader worded it (the first 1,000).
import { Card, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { WideTable } from '../../components/WideTable.js';
import { useFormat } from '../../components/format.js';
import type { ImportProgress } from './queries.js';

export function RefusedRows({ report }: { report: ImportProgress['report'] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Card withBorder component="section" aria-labelledby="refused-title">
      <Title order={3} id="refused-title">
        {t('import.refused.title')}
      </Title>
      {report.refused.length === 0 ? (
        <Text size="sm" c="dimmed" mt="xs">
          {t('import.refused.none')}
        </Text>
      ) : (
        <>
          {report.refusedCount > report.refused.length && (
            <Text size="sm" c="dimmed" mt="xs" data-testid="refused-first">
              {t('import.refused.firstOf', {
                shown: format.number(report.refused.length),
                count: format.number(report.refusedCount),
              })}
            </Text>
          )}
          <WideTable label={t('import.refused.title')} minWidth={520}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" ta="right" w={90}>
                  {t('import.refused.row')}
                </Table.Th>
                <Table.Th scope="col">{t('import.refused.column')}</Table.Th>
                <Table.Th scope="col">{t('import.refused.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.refused.map((row) => (
                <Table.Tr key={`${row.record}:${row.field ?? ''}`} data-record={row.record}>
                  <Table.Td ta="right">{format.number(row.record)}</Table.Td>
                  <Table.Td>{row.field ?? '—'}</Table.Td>
                  <Table.Td>{row.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </WideTable>
        </>
      )}
    </Card>
  );
}

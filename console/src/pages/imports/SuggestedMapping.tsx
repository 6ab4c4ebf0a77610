// Which column of the file became which field: the mapping the headers suggested, as the job recorded it.
import { Card, Code, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { WideTable } from '../../components/WideTable.js';
import type { ImportMapping } from './queries.js';

const FIELDS = ['userId', 'email', 'phone', 'timezone', 'locale', 'statedAt'] as const;
const CHANNELS = ['email', 'push', 'sms', 'kakao', 'advertising', 'nightAdvertising'] as const;
type Channel = (typeof CHANNELS)[number];
const isChannel = (name: string): name is Channel => (CHANNELS as readonly string[]).includes(name);

export function SuggestedMapping({ mapping }: { mapping: ImportMapping }) {
  const { t } = useTranslation();
  const rows: { field: string; column: string; note?: string }[] = [];
  for (const field of FIELDS) {
    const column = mapping[field];
    if (column) rows.push({ field: t(`import.mapping.fields.${field}`), column });
  }
  for (const [channel, columns] of Object.entries(mapping.consents)) {
    const name = isChannel(channel) ? t(`consent.${channel}`) : channel;
    const notes = [
      columns.at ? t('import.mapping.datedBy', { column: columns.at }) : t('import.mapping.noDate'),
      ...(columns.source ? [t('import.mapping.sourceFrom', { column: columns.source })] : []),
    ];
    rows.push({
      field: t('import.mapping.consent', { channel: name }),
      column: columns.granted,
      note: notes.join(' · '),
    });
  }
  if (mapping.traits !== 'rest') {
    for (const [trait, column] of Object.entries(mapping.traits))
      rows.push({ field: t('import.mapping.trait', { name: trait }), column });
  }
  return (
    <Card withBorder component="section" aria-labelledby="mapping-title">
      <Title order={3} id="mapping-title">
        {t('import.mapping.title')}
      </Title>
      <Text size="sm" c="dimmed" mt={4}>
        {t('import.mapping.intro')}
      </Text>
      <WideTable label={t('import.mapping.title')} minWidth={520}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('import.mapping.column')}</Table.Th>
            <Table.Th scope="col">{t('import.mapping.field')}</Table.Th>
            <Table.Th scope="col">{t('import.mapping.note')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody data-testid="import-mapping">
          {rows.map((row) => (
            <Table.Tr key={`${row.field}:${row.column}`}>
              <Table.Td>
                <Code>{row.column}</Code>
              </Table.Td>
              <Table.Td>{row.field}</Table.Td>
              <Table.Td>{row.note ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </WideTable>
      <Text size="sm" mt="xs">
        {mapping.traits === 'rest' ? t('import.mapping.traitsRest') : t('import.mapping.traitsListed')}{' '}
        {t('import.mapping.utcOffset', { offset: mapping.utcOffset })}
      </Text>
    </Card>
  );
}

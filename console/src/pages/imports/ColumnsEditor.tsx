// The Columns editor: one row per column of the chosen CSV, what it holds as a select, and what stops the import.
import { Alert, Code, List, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { WideTable } from '../../components/WideTable.js';
import {
  CONSENT_CHANNELS,
  CONSENT_PARTS,
  type ColumnProblem,
  type ColumnRole,
  FIELD_ROLES,
  roleOfValue,
  roleValue,
} from './columnRoles.js';
import type { CsvColumns } from './useCsvColumns.js';

type Read = Extract<CsvColumns, { status: 'read' }>;

export function ColumnsEditor({
  columns,
  onRole,
}: {
  columns: CsvColumns;
  onRole(index: number, role: ColumnRole): void;
}) {
  const { t } = useTranslation();
  if (columns.status === 'none') return null;
  if (columns.status === 'reading') return <Text size="sm">{t('import.columns.reading')}</Text>;
  if (columns.status === 'unreadable')
    return (
      <Alert color="red" title={t('import.columns.title')} data-testid="columns-unreadable">
        <Text size="sm">{t('import.columns.unreadable')}</Text>
      </Alert>
    );

  const roles = [
    {
      group: t('import.columns.groups.customer'),
      items: FIELD_ROLES.map((field) => ({
        value: roleValue({ kind: 'field', field }),
        label: t(`import.mapping.fields.${field}`),
      })),
    },
    ...CONSENT_CHANNELS.map((channel) => ({
      group: t('import.mapping.consent', { channel: t(`consent.${channel}`) }),
      items: CONSENT_PARTS.map((part) => ({
        value: roleValue({ kind: 'consent', channel, part }),
        label: t(`import.columns.consentParts.${part}`, { channel: t(`consent.${channel}`) }),
      })),
    })),
    {
      group: t('import.columns.groups.other'),
      items: [
        { value: 'trait', label: t('import.columns.trait') },
        { value: 'ignore', label: t('import.columns.ignore') },
      ],
    },
  ];

  return (
    <Stack gap="xs" component="section" aria-labelledby="columns-title" data-testid="columns-editor">
      <Title order={3} size="h4" id="columns-title">
        {t('import.columns.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('import.columns.intro', { encoding: t(`import.encodings.${columns.head.encoding}`) })}
      </Text>
      <WideTable label={t('import.columns.title')} minWidth={560}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('import.columns.column')}</Table.Th>
            <Table.Th scope="col">{t('import.columns.sample')}</Table.Th>
            <Table.Th scope="col">{t('import.columns.holds')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {columns.head.headers.map((header, i) => {
            const name = header === '' ? t('import.columns.noHeader') : header;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: a file may repeat a header; its place is what is stable
              <Table.Tr key={i} data-column={header}>
                <Table.Th scope="row" fw="normal">
                  <Code>{name}</Code>
                </Table.Th>
                <Table.Td>
                  <Text size="sm" c="dimmed" lineClamp={1} maw={180}>
                    {columns.head.sample[i] ?? ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={t('import.columns.holdsOf', { column: name })}
                    value={header === '' ? 'ignore' : roleValue(columns.roles[i])}
                    onChange={(e) => onRole(i, roleOfValue(e.currentTarget.value))}
                    data={roles}
                    disabled={header === ''}
                    size="xs"
                    miw={240}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </WideTable>
      <ColumnWarnings columns={columns} />
    </Stack>
  );
}

function ColumnWarnings({ columns }: { columns: Read }) {
  const { t } = useTranslation();
  const channel = (c: (typeof CONSENT_CHANNELS)[number]) => t(`consent.${c}`);
  const say = (problem: ColumnProblem): string => {
    switch (problem.kind) {
      case 'noUserId':
        return t('import.columns.problems.noUserId');
      case 'manyUserIds':
        return t('import.columns.problems.manyUserIds', { columns: problem.columns.join(', ') });
      case 'fieldTwice':
        return t('import.columns.problems.twice', {
          role: t(`import.mapping.fields.${problem.field}`),
          columns: problem.columns.join(', '),
        });
      case 'consentPartTwice':
        return t('import.columns.problems.twice', {
          role: t(`import.columns.consentParts.${problem.part}`, { channel: channel(problem.channel) }),
          columns: problem.columns.join(', '),
        });
      case 'consentPartAlone':
        return t('import.columns.problems.partAlone', {
          column: problem.column,
          role: t(`import.columns.consentParts.${problem.part}`, { channel: channel(problem.channel) }),
          channel: channel(problem.channel),
        });
    }
  };
  return (
    <>
      {columns.problems.length > 0 && (
        <Alert color="red" title={t('import.columns.problemsTitle')} data-testid="columns-problems">
          <List size="sm">
            {columns.problems.map((problem) => (
              <List.Item key={say(problem)}>{say(problem)}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {columns.undatedConsents.length > 0 && (
        <Alert color="orange" title={t('import.columns.undatedTitle')} data-testid="consent-undated">
          <List size="sm">
            {columns.undatedConsents.map((undated) => (
              <List.Item key={undated.channel}>
                {t('import.columns.undated', { channel: channel(undated.channel), column: undated.column })}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </>
  );
}

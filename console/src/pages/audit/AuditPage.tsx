// Audit: every admin write — who, what, on which id, what it answered and how the definition changed.
import { Badge, Button, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../api/schema.js';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { WideTable } from '../../components/WideTable.js';
import { useFormat } from '../../components/format.js';
import { type AuditFilter, useAuditEntries } from './queries.js';

type AuditEntry = components['schemas']['AuditEntry'];

const shown = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value));

export default function AuditPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [draft, setDraft] = useState<AuditFilter>({});
  const [open, setOpen] = useState<string | undefined>();
  const entries = useAuditEntries(filter);
  const format = useFormat();

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = Object.fromEntries(
      Object.entries(draft)
        .map(([k, v]) => [k, v?.trim()])
        .filter(([, v]) => v),
    );
    setFilter(trimmed);
  };
  const field = (name: keyof AuditFilter) => ({
    label: t(`audit.${name}`),
    value: draft[name] ?? '',
    onChange: (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [name]: e.currentTarget.value }),
  });
  const rows: AuditEntry[] = entries.data?.pages.flatMap((p) => p.entries) ?? [];

  return (
    <Stack>
      <Title order={1}>{t('audit.title')}</Title>
      <Text c="dimmed">{t('audit.intro')}</Text>
      <form onSubmit={apply} aria-label={t('audit.filter')}>
        <Group align="end">
          <TextInput {...field('actor')} placeholder={t('audit.actorPlaceholder')} />
          <TextInput {...field('target')} placeholder="welcome" />
          <TextInput {...field('route')} placeholder="sendBroadcast" />
          <Button type="submit">{t('audit.apply')}</Button>
        </Group>
      </form>
      {entries.isPending ? (
        <PageLoading />
      ) : entries.error ? (
        <ApiErrorAlert error={entries.error} />
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t('audit.none')}</Text>
      ) : (
        <WideTable label={t('audit.title')} minWidth={860}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('audit.at')}</Table.Th>
              <Table.Th scope="col">{t('audit.who')}</Table.Th>
              <Table.Th scope="col">{t('audit.what')}</Table.Th>
              <Table.Th scope="col">{t('audit.target')}</Table.Th>
              <Table.Th scope="col">{t('audit.status')}</Table.Th>
              <Table.Th scope="col">{t('audit.changes')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((entry) => (
              <Fragment key={entry.id}>
                <Table.Tr>
                  <Table.Td>{format.dateTime(entry.at)}</Table.Td>
                  <Table.Td>
                    {entry.actor.name}{' '}
                    <Badge variant="light" size="sm">
                      {t(`audit.roles.${entry.actor.role}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Code>{entry.route}</Code>
                    {entry.forced ? (
                      <Text size="xs" c="orange.8">
                        {t('audit.forced', { reason: entry.forced })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ wordBreak: 'break-all' }}>
                      {entry.target?.startsWith('customer:') ? t('audit.customer') : (entry.target ?? '—')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={entry.status < 400 ? 'green' : 'red'} variant="dot">
                      {entry.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {entry.changes?.length ? (
                      <Button
                        variant="subtle"
                        size="compact-sm"
                        aria-expanded={open === entry.id}
                        onClick={() => setOpen(open === entry.id ? undefined : entry.id)}
                      >
                        {t('audit.changeCount', { count: entry.changeCount ?? entry.changes.length })}
                      </Button>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
                {open === entry.id && entry.changes ? (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Table aria-label={t('audit.diff', { route: entry.route })} fz="sm">
                        <Table.Tbody>
                          {entry.changes.map((c) => (
                            <Table.Tr key={`${c.path}:${c.change}`}>
                              <Table.Td>
                                <Code>{c.path || '·'}</Code>
                              </Table.Td>
                              <Table.Td>{t(`audit.change.${c.change}`)}</Table.Td>
                              <Table.Td>
                                <Text size="sm" td="line-through" c="red.8" style={{ wordBreak: 'break-all' }}>
                                  {shown(c.before)}
                                </Text>
                              </Table.Td>
                              <Table.Td>
                                <Text size="sm" c="teal.9" style={{ wordBreak: 'break-all' }}>
                                  {shown(c.after)}
                                </Text>
                              </Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </Table.Td>
                  </Table.Tr>
                ) : null}
              </Fragment>
            ))}
          </Table.Tbody>
        </WideTable>
      )}
      {entries.hasNextPage ? (
        <Button variant="default" onClick={() => entries.fetchNextPage()} loading={entries.isFetchingNextPage}>
          {t('audit.older')}
        </Button>
      ) : null}
    </Stack>
  );
}

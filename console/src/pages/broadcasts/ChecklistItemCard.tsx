// One item of the pre-send checklist: passed or not in words, the API's summary, and its details laid out.
import { Badge, Card, Code, Group, List, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.js';
import { WideTable } from '../../components/WideTable.js';
import type { ChecklistItem } from './queries.js';

// `details` is free-form in the contract (each item has its own); these read it without trusting its shape.
const record = (x: unknown): Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const counts = (x: unknown) => Object.entries(record(x)).filter((e): e is [string, number] => typeof e[1] === 'number');
const text = (x: unknown) => (typeof x === 'string' ? x : x === undefined ? '' : JSON.stringify(x));

export function ChecklistItemCard({ item }: { item: ChecklistItem }) {
  const { t } = useTranslation();
  const known = ['audience', 'samples', 'personalisation', 'links', 'sending-window', 'test-send'];
  const title = known.includes(item.id)
    ? t(`broadcasts.check.item.${item.id}` as 'broadcasts.check.item.audience')
    : item.id;
  return (
    <Card
      withBorder
      padding="sm"
      component="section"
      aria-label={title}
      data-testid="checklist-item"
      data-item={item.id}
      data-passed={item.passed}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Badge color={item.passed ? 'green' : 'red'} variant="dot" style={{ flexShrink: 0 }}>
          {item.passed ? t('broadcasts.check.passed') : t('broadcasts.check.failed')}
        </Badge>
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Text fw={600}>{title}</Text>
          <Text size="sm" data-testid="checklist-summary">
            {item.summary}
          </Text>
          <ItemDetails item={item} />
        </Stack>
      </Group>
    </Card>
  );
}

function ItemDetails({ item }: { item: ChecklistItem }) {
  const { t } = useTranslation();
  const format = useFormat();
  const details = item.details;
  if (item.id === 'audience') {
    const d = record(details);
    const byChannel = counts(d.byChannel);
    const skipped = counts(d.skipped);
    return (
      <Stack gap={4}>
        <Text size="sm">
          {t('broadcasts.check.audienceLine', {
            matching: format.number(Number(d.matching ?? 0)),
            sendable: format.number(Number(d.sendable ?? 0)),
            control: format.number(Number(d.control ?? 0)),
          })}
        </Text>
        {byChannel.length > 0 && (
          <Text size="sm" data-testid="audience-by-channel">
            {t('broadcasts.check.byChannel')}:{' '}
            {byChannel
              .map(([c, n]) => `${t(`broadcasts.channel.${c}` as 'broadcasts.channel.email')} ${format.number(n)}`)
              .join(' · ')}
          </Text>
        )}
        {skipped.length > 0 && (
          <WideTable label={t('broadcasts.check.skippedWhy')} minWidth={320}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('broadcasts.check.skippedWhy')}</Table.Th>
                <Table.Th scope="col">{t('broadcasts.check.customers')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {skipped.map(([reason, n]) => (
                <Table.Tr key={reason} data-testid="skip-reason">
                  <Table.Td>{reason}</Table.Td>
                  <Table.Td>{format.number(n)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </WideTable>
        )}
      </Stack>
    );
  }
  if (item.id === 'samples') {
    const renders = list(details).map(record);
    if (renders.length === 0) return null;
    return (
      <details>
        <summary>{t('broadcasts.check.showRenders', { count: renders.length })}</summary>
        <Stack gap="xs" mt="xs" data-testid="sample-renders">
          {renders.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: renders are listed as the API gave them
            <Card key={i} withBorder padding="xs">
              <Text size="xs" c="dimmed">
                {text(r.target)} · {t(`broadcasts.channel.${text(r.channel)}` as 'broadcasts.channel.email')}
                {r.userId ? ` · ${text(r.userId)}` : ''}
              </Text>
              {r.error ? (
                <Text size="sm" c="red.9">
                  {text(r.error)}
                </Text>
              ) : (
                Object.entries(record(record(r.rendered)[text(r.channel)] ?? r.rendered))
                  // The HTML source says less than the subject and text beside it; the test send shows it whole.
                  .filter(([field]) => field !== 'html')
                  .map(([field, value]) => (
                    <Text key={field} size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      <Code>{field}</Code> {typeof value === 'string' ? value.slice(0, 400) : text(value)}
                    </Text>
                  ))
              )}
            </Card>
          ))}
        </Stack>
      </details>
    );
  }
  if (item.id === 'personalisation') {
    const missing = list(details).map(record);
    return missing.length === 0 ? null : (
      <List size="sm">
        {missing.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: listed as the API gave them
          <List.Item key={i}>
            <Code>{text(m.variable)}</Code> — {text(m.target)}, {text(m.channel)}, {text(m.userId)}
          </List.Item>
        ))}
      </List>
    );
  }
  if (item.id === 'links') {
    const d = record(details);
    const problems = new Map(list(d.problems).map((p) => [text(record(p).link), text(record(p).problem)]));
    const links = list(d.links).map(text);
    return links.length === 0 ? null : (
      <List size="sm" data-testid="checked-links">
        {links.map((link) => (
          <List.Item key={link} style={{ overflowWrap: 'anywhere' }}>
            <Code>{link}</Code> {problems.get(link) ? `— ${problems.get(link)}` : `— ${t('broadcasts.check.linkOk')}`}
          </List.Item>
        ))}
      </List>
    );
  }
  return null;
}

// The customer's message log: every message asked for, and for each one not sent, why ("why didn't they get it?").
import { Badge, Code, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client.js';
import { useFormat } from '../../components/format.js';
import { WideTable } from '../../components/WideTable.js';

type Message = Schemas['MessageLogEntry'];
type Status = Message['status'];

export const STATUS_COLOR: Record<Status, string> = {
  processing: 'blue',
  retrying: 'blue',
  sent: 'green',
  skipped: 'gray',
  capped: 'orange',
  deferred: 'yellow',
  failed: 'red',
  fallback: 'cyan',
  'held-out': 'violet',
  cancelled: 'gray',
};

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    // Never cut short: in a narrow table column a truncated status ("Capp…") says nothing.
    <Badge
      color={STATUS_COLOR[status]}
      variant="dot"
      styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
    >
      {t(`status.${status}`)}
    </Badge>
  );
}

export function MessageLog({ messages }: { messages: Message[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (messages.length === 0) return <Text c="dimmed">{t('messages.none')}</Text>;
  return (
    <WideTable label={t('messages.title')} minWidth={760}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('messages.requestedAt')}</Table.Th>
          <Table.Th scope="col">{t('messages.status')}</Table.Th>
          <Table.Th scope="col">{t('messages.why')}</Table.Th>
          <Table.Th scope="col">{t('messages.channel')}</Table.Th>
          <Table.Th scope="col">{t('messages.template')}</Table.Th>
          <Table.Th scope="col">{t('messages.source')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {messages.map((m) => (
          <Table.Tr key={m.idempotencyKey} data-status={m.status}>
            <Table.Td>{format.dateTime(m.requestedAt)}</Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <StatusBadge status={m.status} />
            </Table.Td>
            <Table.Td>
              <Why message={m} />
            </Table.Td>
            <Table.Td>{m.deliveredVia ?? m.channel}</Table.Td>
            <Table.Td>
              <Code>{m.template}</Code>
            </Table.Td>
            <Table.Td>
              {m.journeyId ? (
                <Text size="sm">
                  {m.journeyId}
                  {m.stepId ? ` › ${m.stepId}` : ''}
                  {m.variant ? ` (${m.variant})` : ''}
                </Text>
              ) : (
                '—'
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </WideTable>
  );
}

/** The status in words, the API's own reason verbatim, and each channel tried on the way. */
function Why({ message }: { message: Message }) {
  const { t } = useTranslation();
  const format = useFormat();
  const outcome = [
    message.openedAt && t('messages.opened'),
    message.clickedAt && t('messages.clicked'),
    message.convertedAt && t('messages.converted'),
  ].filter(Boolean);
  return (
    <Stack gap={2}>
      <Text size="sm">{t(`messages.explain.${message.status}`)}</Text>
      {message.reason && (
        <Text size="sm">
          {t('messages.reason')}: <Code data-testid="message-reason">{message.reason}</Code>
        </Text>
      )}
      {message.deferredUntil && (
        <Text size="sm">
          {t('messages.deferredUntil')}: {format.dateTime(message.deferredUntil)}
        </Text>
      )}
      {(message.attempts?.length ?? 0) > 1 && (
        <Text size="xs" c="dimmed">
          {message
            .attempts!.map((a) => `${a.channel}: ${t(`status.${a.status}`)}${a.reason ? ` (${a.reason})` : ''}`)
            .join(' → ')}
        </Text>
      )}
      {outcome.length > 0 && (
        <Text size="xs" c="dimmed">
          {outcome.join(' · ')}
        </Text>
      )}
    </Stack>
  );
}

// The journeys a customer is in, and has been in: where they wait and until when, or how each run ended.
import { Anchor, Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Schemas } from '../../api/client.js';
import { useFormat } from '../../components/format.js';

type JourneyInstance = Schemas['JourneyInstance'];

const STATUS_COLOR: Record<JourneyInstance['status'], string> = {
  active: 'blue',
  converted: 'green',
  completed: 'gray',
  exited: 'orange',
};

export function CustomerJourneys({ instances }: { instances: JourneyInstance[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (instances.length === 0) return <Text c="dimmed">{t('customerJourneys.none')}</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped aria-labelledby="journeys-title">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('customerJourneys.journey')}</Table.Th>
            <Table.Th>{t('customerJourneys.status')}</Table.Th>
            <Table.Th>{t('customerJourneys.step')}</Table.Th>
            <Table.Th>{t('customerJourneys.entered')}</Table.Th>
            <Table.Th>{t('customerJourneys.now')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {instances.map((run) => (
            <Table.Tr key={`${run.journeyId}#${run.instanceId}`}>
              <Table.Td>
                <Anchor component={Link} to={`/journeys/${encodeURIComponent(run.journeyId)}`}>
                  {run.journeyId}
                </Anchor>{' '}
                <Text span size="xs" c="dimmed">
                  v{run.version}
                  {run.variant ? ` · ${run.variant}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[run.status]} variant="light">
                  {t(`customerJourneys.statuses.${run.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{run.step}</Table.Td>
              <Table.Td>{format.dateTime(run.enteredAt)}</Table.Td>
              <Table.Td>
                {run.status === 'active'
                  ? run.waiting?.kind === 'event'
                    ? t('customerJourneys.waitsFor', {
                        event: run.waiting.event,
                        at: format.dateTime(run.waiting.until),
                      })
                    : run.waiting
                      ? t('customerJourneys.waitsUntil', { at: format.dateTime(run.waiting.until) })
                      : t('customerJourneys.moving')
                  : `${format.dateTime(run.endedAt ?? run.updatedAt)}${run.endReason ? ` · ${run.endReason}` : ''}`}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

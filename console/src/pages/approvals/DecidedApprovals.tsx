// The approvals already decided, newest first: what was asked, by whom, and who approved or rejected it, when and why.
import { Anchor, Badge, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { WideTable } from '../../components/WideTable.js';
import { useFormat } from '../../components/format.js';
import { type ApprovalRequest, useDecidedApprovals } from './queries.js';

const STATUS_COLOURS = { approved: 'green', rejected: 'red', void: 'gray', pending: 'blue' } as const;

export function DecidedApprovals() {
  const { t } = useTranslation();
  const decided = useDecidedApprovals();
  return (
    <Card withBorder component="section" aria-labelledby="decided-title">
      <Title order={2} size="h3" id="decided-title">
        {t('approvals.history')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('approvals.historyIntro')}
      </Text>
      {decided.isPending ? (
        <PageLoading />
      ) : decided.error ? (
        <ApiErrorAlert error={decided.error} />
      ) : decided.data.approvals.length === 0 ? (
        <Text c="dimmed">{t('approvals.noneDecided')}</Text>
      ) : (
        <WideTable label={t('approvals.history')} minWidth={900}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('approvals.decidedAt')}</Table.Th>
              <Table.Th scope="col">{t('approvals.what')}</Table.Th>
              <Table.Th scope="col">{t('approvals.askedBy')}</Table.Th>
              {/* Room for the badge: Mantine's badge cuts its label short rather than widen a squeezed column. */}
              <Table.Th scope="col" miw={140}>
                {t('approvals.decision')}
              </Table.Th>
              <Table.Th scope="col">{t('approvals.decidedBy')}</Table.Th>
              <Table.Th scope="col">{t('approvals.comment')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {decided.data.approvals.map((approval) => (
              <DecidedRow key={approval.id} approval={approval} />
            ))}
          </Table.Tbody>
        </WideTable>
      )}
    </Card>
  );
}

function DecidedRow({ approval }: { approval: ApprovalRequest }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { target } = approval;
  const link = approval.kind === 'broadcastSend' ? `/broadcasts/${target.id}` : `/journeys/${target.id}`;
  const person = (p: ApprovalRequest['requestedBy']) => `${p.name} · ${t(`audit.roles.${p.role}`)}`;
  return (
    <Table.Tr data-approval={target.id} data-status={approval.status}>
      <Table.Td>{format.dateTime(approval.decidedAt)}</Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            {t(`approvals.kinds.${approval.kind}`)}
          </Text>
          <Anchor component={Link} to={link} size="sm">
            {target.id}
            {target.version ? ` v${target.version}` : ''}
          </Anchor>
          {approval.forced && (
            // Bold rather than orange: orange text on the striped row is under 4.5:1.
            <Text size="xs" fw={700}>
              {t('approvals.forced', { reason: approval.forced.reason })}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{person(approval.requestedBy)}</Text>
        <Text size="xs" c="dimmed">
          {format.dateTime(approval.requestedAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOURS[approval.status]} variant="dot">
          {t(`approvals.status.${approval.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td>{approval.decidedBy ? person(approval.decidedBy) : '—'}</Table.Td>
      <Table.Td>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {approval.comment || '—'}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

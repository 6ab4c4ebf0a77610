// Approvals: the sends and activations waiting for a second person, each approved or rejected with a comment;
// below them, the decided ones.
import { Alert, Badge, Button, Card, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { useFormat } from '../../components/format.js';
import { DecidedApprovals } from './DecidedApprovals.js';
import { type ApprovalRequest, useApprovalDecision, usePendingApprovals } from './queries.js';

export default function ApprovalsPage() {
  const { t } = useTranslation();
  const pending = usePendingApprovals();
  const decision = useApprovalDecision();

  return (
    <Stack>
      <Title order={1}>{t('approvals.title')}</Title>
      <Text c="dimmed">{t('approvals.intro')}</Text>
      {decision.data && (
        <Alert
          color={decision.data.approval.status === 'approved' ? 'green' : 'gray'}
          role="status"
          data-testid="decided"
        >
          {t(`approvals.decided.${decision.data.approval.status === 'approved' ? 'approved' : 'rejected'}`, {
            target: decision.data.approval.target.id,
          })}
        </Alert>
      )}
      <ApiErrorAlert error={decision.error} title={t('approvals.decisionRefused')} />
      {pending.isPending ? (
        <PageLoading />
      ) : pending.error ? (
        <ApiErrorAlert error={pending.error} />
      ) : pending.data.approvals.length === 0 ? (
        <Text c="dimmed">{t('approvals.none')}</Text>
      ) : (
        pending.data.approvals.map((approval) => (
          <PendingApproval
            key={approval.id}
            approval={approval}
            deciding={decision.isPending && decision.variables?.id === approval.id}
            onDecide={(verdict, comment) => decision.mutate({ id: approval.id, verdict, comment })}
          />
        ))
      )}
      <DecidedApprovals />
    </Stack>
  );
}

function PendingApproval({
  approval,
  deciding,
  onDecide,
}: {
  approval: ApprovalRequest;
  deciding: boolean;
  onDecide: (verdict: 'approve' | 'reject', comment: string) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [comment, setComment] = useState('');
  const { target } = approval;
  const link = approval.kind === 'broadcastSend' ? `/broadcasts/${target.id}` : `/journeys/${target.id}`;
  const failing = approval.checklist.items.filter((i) => !i.passed);
  return (
    <Card withBorder component="article" aria-label={t('approvals.request', { target: target.id })}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Badge variant="light">{t(`approvals.kinds.${approval.kind}`)}</Badge>
            <Text fw={600} component={Link} to={link}>
              {target.id}
              {target.version ? ` v${target.version}` : ''}
            </Text>
          </Group>
          <Text size="sm" c="dimmed">
            {t('approvals.requestedBy', {
              name: approval.requestedBy.name,
              role: t(`audit.roles.${approval.requestedBy.role}`),
              at: format.dateTime(approval.requestedAt),
            })}
          </Text>
        </Group>
        {approval.forced && (
          <Alert
            color="orange"
            data-testid="forced"
            title={t('approvals.forcedTitle')}
            // Mantine's orange title on its light orange is under 4.5:1; the flag is the colour, the words stay dark.
            styles={{ title: { color: 'var(--mantine-color-black)' } }}
          >
            {t('approvals.forced', { reason: approval.forced.reason })}
          </Alert>
        )}
        <Text size="sm">
          {approval.checklist.passed
            ? t('approvals.checklistPassed', { count: approval.checklist.items.length })
            : t('approvals.checklistFailed', { count: failing.length })}
        </Text>
        <List size="sm">
          {approval.checklist.items.map((item) => (
            <List.Item key={item.id}>
              <Text span c={item.passed ? undefined : 'red.8'} size="sm">
                {item.passed ? '✓' : '✗'} {item.summary}
              </Text>
            </List.Item>
          ))}
        </List>
        <Textarea
          label={t('approvals.comment')}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          autosize
          minRows={1}
        />
        <Group gap="sm">
          <Button onClick={() => onDecide('approve', comment)} loading={deciding}>
            {t(`approvals.approve.${approval.kind}`)}
          </Button>
          <Button variant="light" color="red" onClick={() => onDecide('reject', comment)} disabled={deciding}>
            {t('approvals.reject')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

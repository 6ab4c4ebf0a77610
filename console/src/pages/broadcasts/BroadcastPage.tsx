// One broadcast: what it sends to whom, the checklist item by item, test send, send (a 409 shows what fails),
// progress, cancel, and the A/B result once it went out.
import { Alert, Button, Card, Code, Group, List, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { useFormat } from '../../components/format.js';
import { PageLoading } from '../../components/PageLoading.js';
import { SentForApproval } from '../approvals/SentForApproval.js';
import { AbResult } from './AbResult.js';
import { BroadcastProgress } from './BroadcastProgress.js';
import { BroadcastStatusBadge } from './BroadcastStatusBadge.js';
import { ChecklistItemCard } from './ChecklistItemCard.js';
import { type Broadcast, SendRefusal, useBroadcast, useBroadcastActions } from './queries.js';

export default function BroadcastPage() {
  const { broadcastId = '' } = useParams();
  const broadcast = useBroadcast(broadcastId);
  if (broadcast.isPending) return <PageLoading />;
  if (broadcast.error) return <ApiErrorAlert error={broadcast.error} />;
  return <BroadcastView broadcast={broadcast.data} />;
}

function BroadcastView({ broadcast }: { broadcast: Broadcast }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { definition } = broadcast;
  const actions = useBroadcastActions(definition.id);
  const [forceReason, setForceReason] = useState('');
  const draft = broadcast.status === 'draft';
  const sendRefusal = actions.send.error instanceof SendRefusal ? actions.send.error : undefined;
  // The checklist just run, else the one the API kept from the last check or send.
  const checklist = actions.check.data ?? broadcast.lastCheck;

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Stack gap={0}>
          <Title order={1}>{definition.name ?? definition.id}</Title>
          <Text size="sm" c="dimmed">
            {definition.id}
          </Text>
        </Stack>
        <BroadcastStatusBadge status={broadcast.status} />
      </Group>

      <Card withBorder padding="md" component="section" aria-labelledby="broadcast-definition">
        <Title order={2} size="h4" id="broadcast-definition" mb="xs">
          {t('broadcasts.definition')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs">
          <Fact label={t('broadcasts.segment')} value={definition.segment} />
          <Fact
            label={t('broadcasts.form.message')}
            value={
              definition.variants
                ? definition.variants.map((v) => `${v.name}: ${v.template} (×${v.weight})`).join(', ')
                : (definition.template ?? '—')
            }
          />
          <Fact label={t('broadcasts.form.control')} value={`${format.number(definition.controlPercent)} %`} />
          <Fact label={t('broadcasts.form.category')} value={t(`broadcasts.category.${definition.category}`)} />
          <Fact
            label={t('broadcasts.form.fallback')}
            value={
              definition.fallback.length
                ? definition.fallback.map((c) => t(`broadcasts.channel.${c}`)).join(' → ')
                : '—'
            }
          />
          <Fact
            label={t('broadcasts.form.when')}
            value={
              definition.sendAt
                ? format.dateTime(definition.sendAt)
                : definition.localTime
                  ? t('broadcasts.localTimeValue', definition.localTime)
                  : t('broadcasts.form.now')
            }
          />
          <Fact
            label={t('broadcasts.form.rate')}
            value={definition.ratePerMinute ? format.number(definition.ratePerMinute) : t('broadcasts.rateDefault')}
          />
          <Fact
            label={t('broadcasts.testSendLabel')}
            value={
              broadcast.testSend
                ? t('broadcasts.testSendValue', {
                    at: format.dateTime(broadcast.testSend.at),
                    count: broadcast.testSend.recipients,
                  })
                : t('broadcasts.noTestSend')
            }
          />
        </SimpleGrid>
        {broadcast.forced && (
          <Alert color="orange" mt="sm" title={t('broadcasts.forced')}>
            {broadcast.forced.reason} ({broadcast.forced.failing.join(', ')}, {format.dateTime(broadcast.forced.at)})
          </Alert>
        )}
      </Card>

      <Group gap="sm" wrap="wrap">
        <Button variant="light" onClick={() => actions.check.mutate()} loading={actions.check.isPending}>
          {t('broadcasts.actions.check')}
        </Button>
        {draft && (
          <Button variant="light" onClick={() => actions.testSend.mutate()} loading={actions.testSend.isPending}>
            {t('broadcasts.actions.testSend')}
          </Button>
        )}
        {draft && (
          <Button onClick={() => actions.send.mutate(undefined)} loading={actions.send.isPending}>
            {t('broadcasts.actions.send')}
          </Button>
        )}
        {(broadcast.status === 'sending' || broadcast.status === 'enqueued') && (
          <Button
            color="red"
            variant="light"
            onClick={() => actions.cancel.mutate()}
            loading={actions.cancel.isPending}
          >
            {t('broadcasts.actions.cancel')}
          </Button>
        )}
      </Group>

      {actions.send.data && 'approval' in actions.send.data && (
        <SentForApproval approval={actions.send.data.approval} />
      )}
      <ApiErrorAlert error={actions.check.error} />
      <ApiErrorAlert error={actions.testSend.error} title={t('broadcasts.testSendRefused')} />
      <ApiErrorAlert error={actions.cancel.error} />
      {actions.testSend.data && (
        <Alert color="green" role="status" data-testid="test-sent" title={t('broadcasts.testSent')}>
          <List size="sm">
            {actions.testSend.data.results.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: results are listed as the API gave them
              <List.Item key={i}>
                {r.variant} · {t(`broadcasts.channel.${r.channel}` as 'broadcasts.channel.email')} → <Code>{r.to}</Code>
                {typeof r.status === 'string' ? ` (${r.status})` : ''}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {actions.send.error && (
        <Stack gap="xs" data-testid="send-refused">
          <ApiErrorAlert error={actions.send.error} title={t('broadcasts.sendRefused')} />
          {sendRefusal && sendRefusal.failing.length > 0 && (
            <>
              <Text size="sm" fw={600}>
                {t('broadcasts.failing')}
              </Text>
              {sendRefusal.failing.map((item) => (
                <ChecklistItemCard key={item.id} item={item} />
              ))}
              <Card withBorder padding="sm">
                <Stack gap="xs">
                  <Textarea
                    label={t('broadcasts.forceReason')}
                    description={t('broadcasts.forceHelp')}
                    value={forceReason}
                    onChange={(e) => setForceReason(e.currentTarget.value)}
                  />
                  <Button
                    color="orange"
                    w="fit-content"
                    disabled={forceReason.trim() === ''}
                    onClick={() => actions.send.mutate(forceReason)}
                  >
                    {t('broadcasts.actions.forceSend')}
                  </Button>
                </Stack>
              </Card>
            </>
          )}
        </Stack>
      )}

      {broadcast.status !== 'draft' && <BroadcastProgress broadcast={broadcast} />}

      <Card withBorder padding="md" component="section" aria-labelledby="broadcast-checklist">
        <Stack gap="xs">
          <Title order={2} size="h4" id="broadcast-checklist">
            {t('broadcasts.check.title')}
          </Title>
          {checklist ? (
            <>
              <Text size="sm" data-testid="checklist-verdict">
                {checklist.passed ? t('broadcasts.check.allPassed') : t('broadcasts.check.notPassed')} ·{' '}
                {format.dateTime(checklist.at)}
              </Text>
              {checklist.items.map((item) => (
                <ChecklistItemCard key={item.id} item={item} />
              ))}
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {t('broadcasts.check.notRun')}
            </Text>
          )}
        </Stack>
      </Card>

      {broadcast.status !== 'draft' && <AbResult broadcastId={definition.id} />}
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </div>
  );
}

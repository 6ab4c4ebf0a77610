// One journey: activate (its checklist), pause, archive; its graph with live numbers on every send step and
// the same numbers as a table; the JSON editor, versions side by side, and simulate.
import { Alert, Anchor, Button, Card, Group, Stack, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Schemas } from '../../api/client.js';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { useFormat } from '../../components/format.js';
import { WideTable } from '../../components/WideTable.js';
import { PageLoading } from '../../components/PageLoading.js';
import { ChecklistItemCard } from '../broadcasts/ChecklistItemCard.js';
import { JourneyCanvas } from './JourneyCanvas.js';
import { JourneyEditor } from './JourneyEditor.js';
import { JourneySimulator } from './JourneySimulator.js';
import { JourneyVersions } from './JourneyVersions.js';
import { JourneyStatusBadge } from './JourneyStatusBadge.js';
import { SentForApproval } from '../approvals/SentForApproval.js';
import { ActivationRefusal, useJourney, useJourneyActions, useJourneyFunnel } from './queries.js';

export default function JourneyPage() {
  const { t } = useTranslation();
  const journeyId = useParams().journeyId ?? '';
  const journey = useJourney(journeyId);
  const funnel = useJourneyFunnel(journeyId);

  if (journey.isPending) return <PageLoading />;
  if (journey.error) return <ApiErrorAlert error={journey.error} />;
  const j = journey.data;
  const lines = funnel.data?.lines ?? [];
  return (
    <Stack>
      <Anchor component={Link} to="/journeys" size="sm">
        ← {t('journeys.title')}
      </Anchor>
      <Group gap="sm">
        <Title order={1}>{j.name}</Title>
        <JourneyStatusBadge status={j.status} />
      </Group>
      <Text c="dimmed" size="sm">
        {j.id} · {t('journeys.versionSummary', { latest: j.latestVersion, active: j.activeVersion ?? '—' })}
      </Text>
      {j.definition.description && <Text>{j.definition.description}</Text>}
      <JourneyLifecycle journeyId={j.id} status={j.status} />
      <Tabs defaultValue="graph" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="graph">{t('journeyWork.tabs.graph')}</Tabs.Tab>
          <Tabs.Tab value="edit">{t('journeyWork.tabs.edit')}</Tabs.Tab>
          <Tabs.Tab value="versions">{t('journeyWork.tabs.versions')}</Tabs.Tab>
          <Tabs.Tab value="simulate">{t('journeyWork.tabs.simulate')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="graph" pt="md">
          <Stack>
            <Card withBorder padding={0}>
              <JourneyCanvas definition={j.definition} lines={lines} />
            </Card>
            <Card withBorder component="section" aria-labelledby="funnel-title">
              <Title order={2} size="h3" id="funnel-title">
                {t('journeys.numbers.title')}
              </Title>
              {funnel.data && (
                <Text size="sm" c="dimmed" mb="sm">
                  {t('journeys.numbers.window', { from: funnel.data.from, to: funnel.data.to })}
                </Text>
              )}
              {funnel.error ? <ApiErrorAlert error={funnel.error} /> : <FunnelTable lines={lines} />}
            </Card>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="edit" pt="md">
          <JourneyEditor journeyId={j.id} definition={j.definition} />
        </Tabs.Panel>
        <Tabs.Panel value="versions" pt="md">
          <JourneyVersions journeyId={j.id} />
        </Tabs.Panel>
        <Tabs.Panel value="simulate" pt="md">
          <JourneySimulator journeyId={j.id} definition={j.definition} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** Activate (the checklist's failing items shown from the 409, with force and a reason), pause, archive. */
function JourneyLifecycle({ journeyId, status }: { journeyId: string; status: Schemas['JourneyHead']['status'] }) {
  const { t } = useTranslation();
  const actions = useJourneyActions(journeyId);
  const [forceReason, setForceReason] = useState('');
  const [confirmArchive, setConfirmArchive] = useState(false);
  const refusal = actions.activate.error instanceof ActivationRefusal ? actions.activate.error : undefined;
  // With approvals on, the API answers 202 with the request instead of the active journey.
  const answered = actions.activate.data;
  const held = answered && 'approval' in answered ? answered.approval : undefined;
  const activated = answered && !('approval' in answered) ? answered : undefined;
  if (status === 'archived') return null;
  return (
    <Stack gap="xs">
      <Group gap="sm" wrap="wrap">
        {status !== 'active' && (
          <Button onClick={() => actions.activate.mutate({})} loading={actions.activate.isPending}>
            {t('journeyWork.actions.activate')}
          </Button>
        )}
        {status === 'active' && (
          <Button variant="light" onClick={() => actions.pause.mutate()} loading={actions.pause.isPending}>
            {t('journeyWork.actions.pause')}
          </Button>
        )}
        {confirmArchive ? (
          <>
            <Button color="red" onClick={() => actions.archive.mutate()} loading={actions.archive.isPending}>
              {t('journeyWork.actions.archiveForGood')}
            </Button>
            <Button variant="subtle" onClick={() => setConfirmArchive(false)}>
              {t('journeyWork.actions.keep')}
            </Button>
          </>
        ) : (
          <Button color="red" variant="subtle" onClick={() => setConfirmArchive(true)}>
            {t('journeyWork.actions.archive')}
          </Button>
        )}
      </Group>
      {confirmArchive && (
        <Text size="sm" c="red.9">
          {t('journeyWork.actions.archiveWarning')}
        </Text>
      )}
      <ApiErrorAlert error={actions.pause.error} />
      <ApiErrorAlert error={actions.archive.error} />
      {actions.activate.error && status !== 'active' && (
        <Stack gap="xs" data-testid="activation-refused">
          <ApiErrorAlert error={actions.activate.error} title={t('journeyWork.actions.refused')} />
          {refusal && refusal.failing.length > 0 && (
            <>
              <Text size="sm" fw={600}>
                {t('broadcasts.failing')}
              </Text>
              {refusal.failing.map((item) => (
                <ChecklistItemCard key={item.id} item={item} />
              ))}
              <Card withBorder padding="sm">
                <Stack gap="xs">
                  <Textarea
                    label={t('journeyWork.actions.forceReason')}
                    description={t('journeyWork.actions.forceHelp')}
                    value={forceReason}
                    onChange={(e) => setForceReason(e.currentTarget.value)}
                  />
                  <Button
                    color="orange"
                    w="fit-content"
                    disabled={forceReason.trim() === ''}
                    onClick={() => actions.activate.mutate({ forceReason })}
                  >
                    {t('journeyWork.actions.forceActivate')}
                  </Button>
                </Stack>
              </Card>
            </>
          )}
        </Stack>
      )}
      {held && <SentForApproval approval={held} />}
      {activated && status === 'active' && (
        <Alert color={activated.checklist.forced ? 'orange' : 'green'} role="status" data-testid="activated">
          {activated.checklist.forced
            ? t('journeyWork.actions.activatedForced', { reason: activated.checklist.forced })
            : t('journeyWork.actions.activated', { version: activated.activeVersion })}
          <Stack gap="xs" mt="xs">
            {activated.checklist.items.map((item) => (
              <ChecklistItemCard key={item.id} item={item} />
            ))}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

function FunnelTable({ lines }: { lines: Schemas['FunnelLine'][] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (lines.length === 0) return <Text c="dimmed">{t('journeys.numbers.none')}</Text>;
  const counts = ['requested', 'sent', 'delivered', 'opened', 'clicked', 'converted', 'capped', 'skipped'] as const;
  return (
    <WideTable label={t('journeys.numbers.title')} minWidth={900}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('journeys.numbers.step')}</Table.Th>
          <Table.Th scope="col">{t('journeys.numbers.variant')}</Table.Th>
          {counts.map((c) => (
            <Table.Th scope="col" key={c} ta="right">
              {t(`journeys.numbers.${c}`)}
            </Table.Th>
          ))}
          <Table.Th scope="col" ta="right">
            {t('journeys.numbers.conversionRate')}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((l) => (
          <Table.Tr key={`${l.stepId}/${l.variant}/${l.template}`}>
            <Table.Td>{l.stepId}</Table.Td>
            <Table.Td>{l.variant === '-' ? '—' : l.variant}</Table.Td>
            {counts.map((c) => (
              <Table.Td key={c} ta="right">
                {f.number(l[c])}
              </Table.Td>
            ))}
            <Table.Td ta="right">{f.percent(l.conversionRate)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </WideTable>
  );
}

// Home: the last 30 days at a glance with trends, the live journeys and broadcasts, and what needs attention.
import { Anchor, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { useFormat } from '../../components/format.js';
import { PageLoading } from '../../components/PageLoading.js';
import { BroadcastStatusBadge } from '../broadcasts/BroadcastStatusBadge.js';
import { JourneyStatusBadge } from '../journeys/JourneyStatusBadge.js';
import { KpiCard, type KpiKind } from './KpiCard.js';
import { type Overview, type OverviewTotals, useBroadcastList, useJourneyList, useOverview } from './queries.js';

const KPIS: { id: keyof OverviewTotals; kind: KpiKind; lowerIsBetter?: boolean; help?: boolean }[] = [
  { id: 'sent', kind: 'count' },
  { id: 'deliveryRate', kind: 'rate' },
  { id: 'openRate', kind: 'rate' },
  { id: 'clickRate', kind: 'rate' },
  { id: 'conversionRate', kind: 'rate' },
  { id: 'negativeReactionRate', kind: 'rate', lowerIsBetter: true, help: true },
  { id: 'revenue', kind: 'money' },
];

export default function HomePage() {
  const { t } = useTranslation();
  const overview = useOverview();
  return (
    <Stack>
      <Title order={1}>{t('home.title')}</Title>
      {overview.isPending ? (
        <PageLoading />
      ) : overview.error ? (
        <ApiErrorAlert error={overview.error} />
      ) : (
        <>
          <Kpis overview={overview.data} />
          <Attention overview={overview.data} />
        </>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <LiveJourneys />
        <Broadcasts />
      </SimpleGrid>
    </Stack>
  );
}

function Kpis({ overview }: { overview: Overview }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const { current, previous, days } = overview;
  const shown = (kind: KpiKind, n: number | null) =>
    kind === 'rate' ? format.percent(n) : kind === 'money' ? format.money(n) : format.number(n);
  return (
    <section aria-labelledby="home-kpis">
      <Text c="dimmed" id="home-kpis" mb="sm">
        {t('home.intro', { days, from: current.from, to: current.to })}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        {KPIS.map((kpi) => (
          <KpiCard
            key={kpi.id}
            id={kpi.id}
            label={t(`home.${kpi.id as 'sent'}`)}
            help={kpi.help ? t('home.negativeReactionHelp') : undefined}
            value={shown(kpi.kind, current.totals[kpi.id] as number | null)}
            current={current.totals[kpi.id] as number | null}
            previous={previous.totals[kpi.id] as number | null}
            kind={kpi.kind}
            days={days}
            lowerIsBetter={kpi.lowerIsBetter}
            locale={i18n.language === 'ko' ? 'ko-KR' : 'en-GB'}
          />
        ))}
      </SimpleGrid>
    </section>
  );
}

function Attention({ overview }: { overview: Overview }) {
  const { t } = useTranslation();
  const { failingChecklists, failedSends, deadLetters } = overview.attention;
  const none = failingChecklists.length === 0 && failedSends.length === 0 && deadLetters.length === 0;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="home-attention">
      <Title order={2} size="h3" id="home-attention" mb="xs">
        {t('home.attention')}
      </Title>
      {none ? (
        <Text c="dimmed">{t('home.nothingNeedsAttention')}</Text>
      ) : (
        <List spacing="xs" data-testid="attention">
          {failingChecklists.map((draft) => (
            <List.Item key={draft.broadcastId}>
              <Anchor component={Link} to={`/broadcasts/${encodeURIComponent(draft.broadcastId)}`}>
                {t('home.failingChecklist', { name: draft.name })}
              </Anchor>
              <Text size="sm" c="dimmed">
                {draft.failing.map((item) => `${item.id}: ${item.summary}`).join(' · ')}
              </Text>
            </List.Item>
          ))}
          {failedSends.map((owner) => {
            const broadcast = owner.journeyId.startsWith('broadcast:');
            const id = broadcast ? owner.journeyId.slice('broadcast:'.length) : owner.journeyId;
            return (
              <List.Item key={owner.journeyId}>
                <Anchor component={Link} to={`/${broadcast ? 'broadcasts' : 'journeys'}/${encodeURIComponent(id)}`}>
                  {t('home.failedSends', { count: owner.failed, name: owner.name })}
                </Anchor>
              </List.Item>
            );
          })}
          {deadLetters.map(({ queue, messages }) => (
            <List.Item key={`dead-letters-${queue}`}>
              <Text>{t('home.deadLetters', { count: messages, queue })}</Text>
              <Text size="sm" c="dimmed">
                {t('home.deadLettersHint')}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}

function LiveJourneys() {
  const { t } = useTranslation();
  const journeys = useJourneyList();
  const live = journeys.data?.journeys.filter((j) => j.status === 'active' || j.status === 'paused') ?? [];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="home-journeys">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3" id="home-journeys">
          {t('home.liveJourneys')}
        </Title>
        <Anchor component={Link} to="/journeys" size="sm">
          {t('home.allJourneys')}
        </Anchor>
      </Group>
      {journeys.isPending ? (
        <PageLoading />
      ) : journeys.error ? (
        <ApiErrorAlert error={journeys.error} />
      ) : live.length === 0 ? (
        <Text c="dimmed">{t('home.noLiveJourneys')}</Text>
      ) : (
        <List spacing="xs" listStyleType="none" data-testid="live-journeys">
          {live.map((j) => (
            <List.Item key={j.id}>
              <Group gap="sm" wrap="nowrap">
                <Anchor component={Link} to={`/journeys/${encodeURIComponent(j.id)}`}>
                  {j.name}
                </Anchor>
                <JourneyStatusBadge status={j.status} />
              </Group>
            </List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}

function Broadcasts() {
  const { t } = useTranslation();
  const format = useFormat();
  const broadcasts = useBroadcastList();
  // The latest first: what is sending now or was just prepared matters more than last month's.
  const recent = [...(broadcasts.data?.broadcasts ?? [])]
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, 8);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="home-broadcasts">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3" id="home-broadcasts">
          {t('home.liveBroadcasts')}
        </Title>
        <Anchor component={Link} to="/broadcasts" size="sm">
          {t('home.allBroadcasts')}
        </Anchor>
      </Group>
      {broadcasts.isPending ? (
        <PageLoading />
      ) : broadcasts.error ? (
        <ApiErrorAlert error={broadcasts.error} />
      ) : recent.length === 0 ? (
        <Text c="dimmed">{t('home.noBroadcasts')}</Text>
      ) : (
        <List spacing="xs" listStyleType="none" data-testid="home-broadcast-list">
          {recent.map((b) => (
            <List.Item key={b.definition.id}>
              <Group gap="sm" wrap="nowrap">
                <Anchor component={Link} to={`/broadcasts/${encodeURIComponent(b.definition.id)}`}>
                  {b.definition.name ?? b.definition.id}
                </Anchor>
                <BroadcastStatusBadge status={b.status} />
                <Text size="sm" c="dimmed">
                  {t('broadcasts.progress.enqueued')}: {format.number(b.progress.enqueued)}
                </Text>
              </Group>
            </List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}

// One customer: the profile, the journeys they are in, the message log with the reason for every message not sent, the event timeline, erasure.
import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { CustomerJourneys } from './CustomerJourneys.js';
import { CustomerSearch } from './CustomerSearch.js';
import { EraseCustomer, useErasure } from './EraseCustomer.js';
import { EventTimeline } from './EventTimeline.js';
import { MessageLog } from './MessageLog.js';
import { ProfileCards } from './ProfileCards.js';
import { useProfile, useProfileEvents, useProfileJourneys, useProfileMessages } from './queries.js';

export default function CustomerRoute() {
  const userId = useParams().userId ?? '';
  // A fresh page per customer, so an erasure shown for one is not carried to the next.
  return <CustomerPage key={userId} userId={userId} />;
}

function CustomerPage({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const erasure = useErasure(userId);
  // Once erased there is nothing left to read: only the erasure record stays on the page.
  const live = !erasure.isSuccess;
  const profile = useProfile(userId, live);
  const events = useProfileEvents(userId, live);
  const messages = useProfileMessages(userId, live);
  const journeys = useProfileJourneys(userId, live);

  if (!live) {
    return (
      <Stack>
        <CustomerSearch key={userId} initial={userId} />
        <Title order={1}>{userId}</Title>
        <EraseCustomer userId={userId} erasure={erasure} />
      </Stack>
    );
  }

  return (
    <Stack>
      <CustomerSearch key={userId} initial={userId} />
      <Group gap="sm" align="center">
        <Title order={1}>{userId}</Title>
        {profile.data?.lifecycle && <Badge variant="outline">{t(`lifecycle.${profile.data.lifecycle}`)}</Badge>}
        {profile.data?.rfm && <Badge variant="outline">{profile.data.rfm.segment}</Badge>}
        <Anchor component={Link} to={`/offers/loyalty/${encodeURIComponent(userId)}`} size="sm">
          {t('loyalty.title')}
        </Anchor>
      </Group>
      {profile.isPending ? (
        <PageLoading />
      ) : profile.error ? (
        <ApiErrorAlert error={profile.error} />
      ) : (
        <ProfileCards profile={profile.data} />
      )}
      <Card withBorder component="section" aria-labelledby="journeys-title">
        <Title order={2} size="h3" id="journeys-title">
          {t('customerJourneys.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('customerJourneys.intro')}
        </Text>
        {journeys.isPending ? (
          <PageLoading />
        ) : journeys.error ? (
          <ApiErrorAlert error={journeys.error} />
        ) : (
          <CustomerJourneys instances={journeys.data.instances} />
        )}
      </Card>
      <Card withBorder component="section" aria-labelledby="messages-title">
        <Title order={2} size="h3" id="messages-title">
          {t('messages.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('messages.intro')}
        </Text>
        {messages.isPending ? (
          <PageLoading />
        ) : messages.error ? (
          <ApiErrorAlert error={messages.error} />
        ) : (
          <MessageLog messages={messages.data.messages} />
        )}
      </Card>
      <Card withBorder component="section" aria-labelledby="events-title">
        <Title order={2} size="h3" id="events-title" mb="sm">
          {t('events.title')}
        </Title>
        {events.isPending ? (
          <PageLoading />
        ) : events.error ? (
          <ApiErrorAlert error={events.error} />
        ) : (
          <EventTimeline events={events.data.events} />
        )}
      </Card>
      {profile.data && <EraseCustomer userId={userId} erasure={erasure} />}
    </Stack>
  );
}

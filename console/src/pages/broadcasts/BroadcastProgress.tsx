// How far the fan-out got: page chains ended of all, pages read, recipients enqueued and held out.
import { Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.js';
import type { Broadcast } from './queries.js';

export function BroadcastProgress({ broadcast }: { broadcast: Broadcast }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { chains, chainsDone, pages, enqueued, heldOut } = broadcast.progress;
  const done = broadcast.status === 'enqueued' ? 100 : chains > 0 ? (chainsDone / chains) * 100 : 0;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="broadcast-progress">
      <Stack gap="xs">
        <Title order={2} size="h4" id="broadcast-progress">
          {t('broadcasts.progress.title')}
        </Title>
        <Progress value={done} aria-label={t('broadcasts.progress.bar', { percent: Math.round(done) })} />
        <Group gap="lg" wrap="wrap" data-testid="broadcast-progress">
          <Text size="sm">
            {t('broadcasts.progress.chains')}: {format.number(chainsDone)} / {format.number(chains)}
          </Text>
          <Text size="sm">
            {t('broadcasts.progress.pages')}: {format.number(pages)}
          </Text>
          <Text size="sm" data-testid="progress-enqueued">
            {t('broadcasts.progress.enqueued')}: {format.number(enqueued)}
          </Text>
          <Text size="sm" data-testid="progress-held-out">
            {t('broadcasts.progress.heldOut')}: {format.number(heldOut)}
          </Text>
        </Group>
        {broadcast.sendingSince && (
          <Text size="xs" c="dimmed">
            {t('broadcasts.progress.since', { at: format.dateTime(broadcast.sendingSince) })}
            {broadcast.cancelledAt
              ? ` · ${t('broadcasts.progress.cancelledAt', { at: format.dateTime(broadcast.cancelledAt) })}`
              : ''}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

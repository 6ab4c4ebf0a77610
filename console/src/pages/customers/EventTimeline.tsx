// The customer's recent events, newest first, with their properties at hand.
import { Code, Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client.js';
import { useFormat } from '../../components/format.js';

type StoredEvent = Schemas['StoredEvent'];

function title(event: StoredEvent): string {
  if (event.type === 'track') return event.event ?? 'track';
  if (event.type === 'page' || event.type === 'screen') return `${event.type}: ${event.name ?? ''}`;
  return event.type;
}

export function EventTimeline({ events }: { events: StoredEvent[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (events.length === 0) return <Text c="dimmed">{t('events.none')}</Text>;
  return (
    <Timeline bulletSize={12} lineWidth={2} aria-label={t('events.title')}>
      {events.map((event) => {
        const details = event.properties ?? event.traits;
        return (
          <Timeline.Item key={event.sk} title={title(event)}>
            <Text size="xs" c="dimmed">
              {format.dateTime(event.timestamp)}
            </Text>
            {details && Object.keys(details).length > 0 && (
              <Code
                block
                mt={4}
                style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', maxHeight: 160, overflow: 'auto' }}
              >
                {JSON.stringify(details, null, 1)}
              </Code>
            )}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

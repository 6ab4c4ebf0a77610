// Lambda entry point of the Events stream consumer: folds each customer's new events into their profile,
// then lets the journeys react to them (goals, exits, awaited events, triggers).

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { PositionedEvent } from '../core/profiles/applyEvents.js';
import { groupByUser, updateProfiles } from '../core/profiles/updateProfiles.js';
import { attributeConversions, countPushOptOut, isGoalEvent, type AttributionRule } from '../core/metrics/attributeConversions.js';
import { runCustomerEvents } from '../core/journeys/runJourneys.js';
import { PUSH_OPENED, recordPushOpens } from '../core/delivery/pushOpens.js';
import { fromEventItem } from '../adapters/aws/dynamodb/DynamoEventStore.js';
import type { Adapters } from '../adapters/Adapters.js';
import type { JourneyDeps } from '../core/journeys/runJourneys.js';

export function createProcessEventsHandler(adapters: JourneyDeps & Pick<Adapters, 'journeyIndex' | 'clock' | 'settings' | 'messages' | 'metrics'>) {
  const logger = new Logger({ serviceName: 'retain-process-events' });
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler(async (stream) => {
      const events: PositionedEvent[] = [];
      const failures: string[] = [];
      for (const record of stream.Records) {
        const position = record.dynamodb?.SequenceNumber;
        // The event source mapping filters to INSERT; this guards the local poller and hand-made events.
        if (record.eventName !== 'INSERT' || !position) continue;
        try {
          const image = unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>);
          events.push({ event: fromEventItem(image), position });
        } catch (error) {
          logger.error('unreadable event record', { position, error: (error as Error).message });
          failures.push(position);
        }
      }
      const results = await updateProfiles(groupByUser(events), { profiles: adapters.profiles });
      const index = await adapters.journeyIndex.get();
      let attribution: Promise<AttributionRule> | undefined;
      const now = adapters.clock.now();
      await Promise.all(
        results.map(async (result) => {
          if (result.outcome === 'failed') {
            logger.error('profile update failed', { userKey: result.userKey, error: result.error.message });
            failures.push(result.firstPosition);
            return;
          }
          // Journeys run on replays too: entering is keyed by the trigger, so a replay finishes what a
          // crash interrupted and never starts anything twice.
          try {
            const events = result.events.map((e) => e.event);
            if (events.some((e) => e.event === PUSH_OPENED)) {
              await recordPushOpens(events, [result.profileKey, ...result.after.mergedKeys], adapters);
            }
            // Only a goal event (the workspace's, or a journey's own) reads the customer's recent messages.
            const rule = await (attribution ??= adapters.settings.get().then((s) => s.attribution));
            if (events.some((e) => isGoalEvent(e, rule, index.goals().events))) {
              await attributeConversions(events, [result.profileKey, ...result.after.mergedKeys], rule, adapters, index.goals());
            }
            // A customer who turns push off is counted against the last push they got (the negative reactions).
            if (result.before?.consent.push?.granted === true && result.after.consent.push?.granted === false) {
              await countPushOptOut([result.profileKey, ...result.after.mergedKeys], events.at(-1)!.timestamp, adapters);
            }
            await runCustomerEvents(
              { profileKey: result.profileKey, before: result.before, after: result.after, events: result.events.map((e) => e.event) },
              index,
              adapters,
              now,
            );
          } catch (error) {
            logger.error('journeys failed', { userKey: result.userKey, error: (error as Error).message });
            failures.push(result.events[0].position);
          }
        }),
      );
      // Lambda resumes the shard at the lowest reported position; profiles make the replay idempotent.
      return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
    });
}

// Lambda entry point of the Events stream consumer: folds each customer's new events into their profile.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { PositionedEvent } from '../core/profiles/applyEvents.js';
import { groupByUser, updateProfiles } from '../core/profiles/updateProfiles.js';
import { fromEventItem } from '../adapters/aws/dynamodb/DynamoEventStore.js';
import { buildAdapters, parseEnvironment, type Adapters } from '../adapters/aws/environment.js';

export function createProcessEventsHandler(adapters: Adapters) {
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
      for (const result of results) {
        if (result.outcome !== 'failed') continue;
        logger.error('profile update failed', { userKey: result.userKey, error: result.error.message });
        failures.push(result.firstPosition);
      }
      // Lambda resumes the shard at the lowest reported position; profiles make the replay idempotent.
      return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
    });
}

export const handler = createProcessEventsHandler(buildAdapters(parseEnvironment()));

// The handler of the Events stream consumer: folds each customer's new events into their profile,
// then lets the journeys react to them (goals, exits, awaited events, triggers).

import middy from '@middy/core';
import { traced } from './middleware/tracing.js';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { PositionedEvent } from '../core/profiles/applyEvents.js';
import { processCustomerEvents, type PipelineDeps } from '../core/pipeline/processCustomerEvents.js';
import { fromEventItem } from '../adapters/aws/dynamodb/DynamoEventStore.js';
import type { Adapters } from '../adapters/Adapters.js';

export function createProcessEventsHandler(adapters: PipelineDeps & Pick<Adapters, 'clock'>) {
  const logger = new Logger({ serviceName: 'retain-process-events' });
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(traced())
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
      for (const failure of await processCustomerEvents(events, adapters, adapters.clock.now())) {
        const message = failure.stage === 'profile' ? 'profile update failed' : 'journeys failed';
        logger.error(message, { userKey: failure.userKey, error: failure.error.message });
        failures.push(failure.position);
      }
      // Lambda resumes the shard at the lowest reported position; profiles make the replay idempotent.
      return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
    });
}

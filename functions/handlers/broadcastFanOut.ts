// The handler of the broadcast queue: one page of a broadcast's audience onto the channel queues.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { runBroadcastPage } from '../core/broadcasts/runBroadcast.js';
import { broadcastPageSchema } from '../core/broadcasts/fanOut.js';
import type { Adapters } from '../adapters/Adapters.js';

export function createBroadcastFanOutHandler(
  adapters: Pick<
    Adapters,
    'broadcasts' | 'profiles' | 'segments' | 'templates' | 'settings' | 'deliveries' | 'broadcastPages' | 'clock'
  >,
) {
  const logger = new Logger({ serviceName: 'retain-broadcast-fan-out' });
  const processor = new BatchProcessor(EventType.SQS);
  const deps = { ...adapters, pages: adapters.broadcastPages };
  const processRecord = async (record: SQSRecord) => {
    // A body that is not a page fails its record: after the queue's retries it lands in the DLQ.
    const page = broadcastPageSchema.parse(JSON.parse(record.body));
    const outcome = await runBroadcastPage(page, deps, adapters.clock.now());
    logger.info('broadcast page', {
      broadcastId: page.broadcastId,
      wave: page.wave,
      segment: page.segment,
      index: page.index,
      ...outcome,
    });
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler((event, context) =>
      processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false }),
    );
}

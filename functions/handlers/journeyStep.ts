// The handler of the journey-steps queue: a wake-up continues its journey instance.

import middy from '@middy/core';
import { traced } from './middleware/tracing.js';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { wakeUpSchema } from '../core/journeys/instance.js';
import { runWakeUp } from '../core/journeys/runJourneys.js';
import type { Adapters } from '../adapters/Adapters.js';
import type { JourneyDeps } from '../core/journeys/runJourneys.js';

export function createJourneyStepHandler(
  adapters: JourneyDeps & Pick<Adapters, 'journeyIndex' | 'clock' | 'telemetry'>,
) {
  const logger = new Logger({ serviceName: 'retain-journey-step' });
  const processor = new BatchProcessor(EventType.SQS);
  const processRecord = async (record: SQSRecord) => {
    // A body that is not a wake-up fails its record: after the queue's retries it lands in the DLQ.
    const wakeUp = wakeUpSchema.parse(JSON.parse(record.body));
    const outcome = await runWakeUp(wakeUp, await adapters.journeyIndex.get(), adapters, adapters.clock.now());
    adapters.telemetry.wakeUp(outcome);
    logger.debug('wake-up', { ...wakeUp, outcome });
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(traced())
    .use(injectLambdaContext(logger))
    .use(adapters.telemetry.publishAfterEachInvocation())
    .handler((event, context) =>
      processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false }),
    );
}

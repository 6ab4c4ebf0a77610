// The handler of the e-mail and push senders: each delivery request through every gate, then out.

import middy from '@middy/core';
import { traced } from './middleware/tracing.js';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { deliverMessage, type DeliveryDeps } from '../core/delivery/deliverMessage.js';
import { deliveryRequestSchema } from '../core/delivery/deliveryRequest.js';
import type { Adapters } from '../adapters/Adapters.js';
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ProviderThrottledError } from '../core/errors.js';

/** Holds a throttled message back for longer each time it comes round (the queue's own timeout is short). */
export type Backoff = (record: SQSRecord, seconds: number) => Promise<void>;

export function backoffSeconds(receiveCount: number): number {
  return Math.min(900, 30 * 2 ** Math.max(0, receiveCount - 1));
}

/** The real one: the record's visibility timeout, on the queue its ARN names. */
export function sqsBackoff(sqs: SQSClient): Backoff {
  return async (record, seconds) => {
    const [, , , region, account, name] = record.eventSourceARN.split(':');
    const QueueUrl = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }),
    );
  };
}

export function createSendHandler(
  adapters: Pick<Adapters, 'clock' | 'telemetry'>,
  deps: DeliveryDeps,
  backoff?: Backoff,
) {
  const logger = new Logger({ serviceName: 'retain-send' });
  const processor = new BatchProcessor(EventType.SQS);
  const processRecord = async (record: SQSRecord) => {
    // A body that is not a delivery request fails its record; after five receives it sits in the DLQ.
    const request = deliveryRequestSchema.parse(JSON.parse(record.body));
    // Throttling throws: the record is reported as failed and the queue redelivers it, later each time.
    let outcome: Awaited<ReturnType<typeof deliverMessage>>;
    try {
      outcome = await deliverMessage(request, deps, adapters.clock.now());
    } catch (error) {
      if (error instanceof ProviderThrottledError && backoff) {
        await backoff(record, backoffSeconds(Number(record.attributes.ApproximateReceiveCount))).catch(() => undefined);
      }
      throw error;
    }
    logger.info('delivery', {
      key: request.idempotencyKey,
      channel: request.channel,
      template: request.template,
      ...outcome,
    });
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(traced())
    .use(injectLambdaContext(logger))
    .use(adapters.telemetry.publishAfterEachInvocation())
    .handler((event, context) =>
      processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false }),
    );
}

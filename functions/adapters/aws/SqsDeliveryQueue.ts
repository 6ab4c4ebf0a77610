// Delivery requests onto each channel's SQS queue, where that channel's sender picks them up.

import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Channel } from '../../core/journeys/definition.js';
import type { DeliveryRequest } from '../../core/journeys/instance.js';
import type { DeliveryQueue } from '../../ports.js';

export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrls: Partial<Record<Channel, string>>,
  ) {}

  async enqueue(request: DeliveryRequest): Promise<void> {
    const QueueUrl = this.queueUrls[request.channel];
    if (!QueueUrl) throw new Error(`no delivery queue is configured for the ${request.channel} channel`);
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: JSON.stringify(request),
        MessageAttributes: { idempotencyKey: { DataType: 'String', StringValue: request.idempotencyKey } },
      }),
    );
  }
}

// Delivery requests onto each channel's SQS queue, where that channel's sender picks them up.

import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_SQS_DELAY_SECONDS } from './DelayedSqsSender.js';
import { chunk } from './dynamodb/retry.js';
import type { Clock } from '../../core/system/ports.js';
import type { Channel } from '../../core/delivery/channel.js';
import type { DeliveryRequest } from '../../core/journeys/instance.js';
import type { BulkDeliveryQueue } from '../../core/delivery/ports.js';

export class SqsDeliveryQueue implements BulkDeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrls: Partial<Record<Channel, string>>,
    private readonly clock: Clock,
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

  /** Ten to a call (SendMessageBatch), each with its own delay; a request due later carries `notBefore`. */
  async enqueueMany(items: { request: DeliveryRequest; at: Date }[]): Promise<void> {
    const byQueue = new Map<string, { request: DeliveryRequest; at: Date }[]>();
    for (const item of items) {
      const url = this.queueUrls[item.request.channel];
      if (!url) throw new Error(`no delivery queue is configured for the ${item.request.channel} channel`);
      byQueue.set(url, [...(byQueue.get(url) ?? []), item]);
    }
    const now = this.clock.now().getTime();
    const calls: Promise<void>[] = [];
    for (const [QueueUrl, queued] of byQueue) {
      for (const part of chunk(queued, 10)) {
        const entries = part.map(({ request, at }, j) => ({
          Id: String(j),
          MessageBody: JSON.stringify(request),
          DelaySeconds: Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, Math.ceil((at.getTime() - now) / 1000))),
        }));
        calls.push(this.sendBatch(QueueUrl, entries));
      }
    }
    await Promise.all(calls);
  }

  private async sendBatch(
    QueueUrl: string,
    entries: { Id: string; MessageBody: string; DelaySeconds: number }[],
  ): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const result = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: pending }));
      const failed = new Set((result.Failed ?? []).map((f) => f.Id));
      pending = pending.filter((e) => failed.has(e.Id));
      if (pending.length > 0 && attempt >= 3)
        throw new Error(`SQS refused ${pending.length} delivery requests: ${result.Failed?.[0]?.Message ?? ''}`);
    }
  }
}

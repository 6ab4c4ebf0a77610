// An SQS queue and its event source mapping, in process: messages handed to the consumer as SQS events, a
// failed one received again up to the redrive limit, then kept as a dead letter.

import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export type DeadLetter = { queue: string; body: unknown; attempts: number };

/** As the stack's queues redrive: three receives, then the dead-letter queue. */
export const MAX_RECEIVES = 3;

/** The event a Lambda's SQS event source hands over for these bodies, on their `attempt`th receive. */
export function sqsEvent(queue: string, messages: { body: unknown; messageId: string }[], attempt: number): SQSEvent {
  return {
    Records: messages.map(({ body, messageId }) => ({
      messageId,
      receiptHandle: messageId,
      body: JSON.stringify(body),
      attributes: {
        ApproximateReceiveCount: String(attempt),
        SentTimestamp: String(Date.now()),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:retain-${queue}`,
      awsRegion: 'local',
    })),
  };
}

/** Hands the bodies (up to ten, as one receive) to the handler, retrying the failed ones; answers the dead letters. */
export async function deliverBatch(queue: string, bodies: unknown[], handler: QueueHandler): Promise<DeadLetter[]> {
  let pending = bodies.map((body) => ({ body, messageId: randomUUID() }));
  for (let attempt = 1; attempt <= MAX_RECEIVES && pending.length > 0; attempt++) {
    let failed: Set<string>;
    try {
      const response = await handler(sqsEvent(queue, pending, attempt));
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(pending.map((p) => p.messageId));
    }
    pending = pending.filter((p) => failed.has(p.messageId));
  }
  return pending.map(({ body }) => ({ queue, body, attempts: MAX_RECEIVES }));
}

/**
 * A queue consumed as soon as a message is sent, by at most `concurrency` invocations at once (the event source
 * mapping's maximum concurrency); `send` waits while they are all busy, so a fast producer cannot pile up memory.
 */
export class LocalQueue<T> {
  private readonly inFlight = new Set<Promise<void>>();
  readonly deadLetters: DeadLetter[] = [];
  /** Told of each dead letter as it is kept (the runtime writes them under its data folder). */
  onDeadLetter: (deadLetter: DeadLetter) => void = () => undefined;

  constructor(
    private readonly queue: string,
    private readonly handler: QueueHandler,
    private readonly concurrency = 4,
  ) {}

  async send(body: T): Promise<void> {
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    const delivery: Promise<void> = deliverBatch(this.queue, [body], this.handler).then((dead) => {
      this.deadLetters.push(...dead);
      for (const letter of dead) this.onDeadLetter(letter);
      this.inFlight.delete(delivery);
    });
    this.inFlight.add(delivery);
  }

  /** Resolves once every message sent so far is consumed (or dead-lettered). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }
}

// The stack's dead-letter queues' depth, from SQS's approximate message counts, for the console's Home.

import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterBacklog, DeadLetterCount } from '../../core/metrics/ports.js';

export class SqsDeadLetters implements DeadLetterBacklog {
  constructor(
    private readonly sqs: SQSClient,
    /** `https://sqs.<region>.<suffix>/<account>`: the queues' URLs are this and their names. */
    private readonly base: string,
    private readonly queues: Record<string, string>,
  ) {}

  async counts(): Promise<DeadLetterCount[]> {
    return Promise.all(
      Object.entries(this.queues).map(async ([queue, name]) => {
        const { Attributes } = await this.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: `${this.base.replace(/\/$/, '')}/${name}`,
            // Visible and in flight: a message being redriven or looked at is still a dead letter.
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        const messages =
          Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
        return { queue, messages };
      }),
    );
  }
}

// The dead-letter count in AWS: one GetQueueAttributes per queue, by name under the account's SQS address.
import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsDeadLetters } from '../../functions/adapters/aws/SqsDeadLetters.js';
import { lambdaSchemas } from '../../functions/lambdas/schemas.js';
import { plausibleEnvironment } from '../support/plausibleEnvironment.js';

describe('SqsDeadLetters', () => {
  it('reads each queue by its URL and counts the visible and the in-flight messages', async () => {
    const asked: unknown[] = [];
    const depth: Record<string, Record<string, string>> = {
      'retain-steps-dead-letters': { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '1' },
      'retain-email-dead-letters': {},
    };
    const sqs = {
      send: async (command: { input: { QueueUrl: string; AttributeNames: string[] } }) => {
        asked.push(command.input);
        return { Attributes: depth[command.input.QueueUrl.split('/').at(-1)!] };
      },
    } as unknown as SQSClient;
    const { DEAD_LETTER_QUEUES, DEAD_LETTER_QUEUE_BASE } = lambdaSchemas.admin.parse(plausibleEnvironment());
    expect(DEAD_LETTER_QUEUES).toEqual({
      'journey-steps': 'retain-steps-dead-letters',
      email: 'retain-email-dead-letters',
    });
    const counts = await new SqsDeadLetters(sqs, `${DEAD_LETTER_QUEUE_BASE}/`, DEAD_LETTER_QUEUES).counts();
    expect(counts).toEqual([
      { queue: 'journey-steps', messages: 4 },
      { queue: 'email', messages: 0 },
    ]);
    expect(asked[0]).toEqual({
      QueueUrl: 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/retain-steps-dead-letters',
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    });
  });

  it('refuses a queue list that is not label=name pairs, naming the variable', () => {
    const env = { ...plausibleEnvironment(), DEAD_LETTER_QUEUES: 'https://sqs.example/queue' };
    const parsed = lambdaSchemas.admin.safeParse(env);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['DEAD_LETTER_QUEUES']);
  });
});

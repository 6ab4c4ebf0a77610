import { describe, expect, it } from 'vitest';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ConflictException,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeStepScheduler, scheduleName } from '../../functions/adapters/aws/EventBridgeStepScheduler.js';
import { DelayedSqsSender } from '../../functions/adapters/aws/DelayedSqsSender.js';
import type { WakeUp } from '../../functions/core/journeys/instance.js';
import { fixedClock } from '../support/tables.js';

// A recording stand-in for the two AWS clients: the issue asks for the exact requests the adapter makes.
function recordingClient(failWith?: Error) {
  const sent: { name: string; input: unknown }[] = [];
  return {
    sent,
    client: {
      send: async (command: { constructor: { name: string }; input: unknown }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        if (failWith) throw failWith;
        return {};
      },
    },
  };
}

const config = {
  queueUrl: 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/steps',
  queueArn: 'arn:aws:sqs:ap-northeast-2:123456789012:steps',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler',
  deadLetterArn: 'arn:aws:sqs:ap-northeast-2:123456789012:steps-dlq',
  groupName: 'retain',
};
const clock = fixedClock('2026-11-23T00:00:00.000Z');
const stepScheduler = (sqs: SQSClient, scheduler: SchedulerClient) =>
  new EventBridgeStepScheduler(
    new DelayedSqsSender(
      sqs,
      scheduler,
      { roleArn: config.roleArn, deadLetterArn: config.deadLetterArn, groupName: config.groupName },
      clock,
    ),
    { queueUrl: config.queueUrl, queueArn: config.queueArn },
  );
const wakeUp = (at: string): WakeUp => ({ userKey: 'u:kim', journeyId: 'cart', instanceId: 'abc', token: 2, at });

describe('EventBridgeStepScheduler', () => {
  it('uses an SQS delay for a wait of 15 minutes or less', async () => {
    const sqs = recordingClient();
    const scheduler = recordingClient();
    const adapter = stepScheduler(sqs.client as unknown as SQSClient, scheduler.client as unknown as SchedulerClient);
    await adapter.schedule(wakeUp('2026-11-23T00:10:00.000Z'));
    expect(sqs.sent).toEqual([
      {
        name: SendMessageCommand.name,
        input: {
          QueueUrl: config.queueUrl,
          MessageBody: JSON.stringify(wakeUp('2026-11-23T00:10:00.000Z')),
          DelaySeconds: 600,
        },
      },
    ]);
    expect(scheduler.sent).toEqual([]);
  });

  it('creates a one-time schedule for a longer wait, named after the instance and the wait', async () => {
    const sqs = recordingClient();
    const scheduler = recordingClient();
    const adapter = stepScheduler(sqs.client as unknown as SQSClient, scheduler.client as unknown as SchedulerClient);
    const w = wakeUp('2026-11-24T00:00:00.000Z');
    await adapter.schedule(w);
    expect(sqs.sent).toEqual([]);
    expect(scheduler.sent).toEqual([
      {
        name: CreateScheduleCommand.name,
        input: {
          Name: scheduleName(w),
          GroupName: 'retain',
          ScheduleExpression: 'at(2026-11-24T00:00:00)',
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: config.queueArn,
            RoleArn: config.roleArn,
            Input: JSON.stringify(w),
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86400 },
            DeadLetterConfig: { Arn: config.deadLetterArn },
          },
        },
      },
    ]);
    expect(scheduleName(w)).toMatch(/^ji-[A-Za-z0-9_-]{32}-2$/);
    expect(scheduleName(w)).toBe(scheduleName(wakeUp('2027-01-01T00:00:00.000Z')));
  });

  it('rounds the schedule up to the whole second, so it never fires before the wait is due', async () => {
    const { atExpression } = await import('../../functions/adapters/aws/DelayedSqsSender.js');
    expect(atExpression('2026-11-24T00:00:00.000Z')).toBe('at(2026-11-24T00:00:00)');
    expect(atExpression('2026-11-24T00:00:00.001Z')).toBe('at(2026-11-24T00:00:01)');
    expect(atExpression('2026-11-24T23:59:59.500Z')).toBe('at(2026-11-25T00:00:00)');
  });

  it('deletes the schedule on cancel, and treats "already there" and "already gone" as success', async () => {
    const gone = recordingClient(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    const adapter = stepScheduler({} as unknown as SQSClient, gone.client as unknown as SchedulerClient);
    await adapter.cancel(wakeUp('2026-11-24T00:00:00.000Z'));
    expect(gone.sent).toEqual([
      { name: DeleteScheduleCommand.name, input: { Name: scheduleName(wakeUp('x')), GroupName: 'retain' } },
    ]);
    const exists = recordingClient(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    const again = stepScheduler({} as unknown as SQSClient, exists.client as unknown as SchedulerClient);
    await expect(again.schedule(wakeUp('2026-11-30T00:00:00.000Z'))).resolves.toBeUndefined();
  });
});

// Sends an SQS message later: with DelaySeconds up to 15 minutes, through a one-time EventBridge Scheduler
// schedule beyond. Journey wake-ups and quiet-hours deferrals both travel this way.

import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../../core/system/ports.js';

/** SQS's maximum DelaySeconds. */
export const MAX_SQS_DELAY_SECONDS = 15 * 60;

export type QueueTarget = { queueUrl: string; queueArn: string };
export type ScheduleConfig = {
  /** The role EventBridge Scheduler assumes to send to the queue (and to the dead-letter queue). */
  roleArn: string;
  deadLetterArn: string;
  groupName: string;
};

/**
 * `at()` takes a date-time without zone or fraction (the zone is given separately: UTC). The fraction is
 * rounded up: a schedule that fired before its instant would find the step not yet due.
 */
export function atExpression(at: string): string {
  const ms = Date.parse(at);
  return `at(${new Date(Math.ceil(ms / 1000) * 1000).toISOString().slice(0, 19)})`;
}

export class DelayedSqsSender {
  constructor(
    private readonly sqs: SQSClient,
    private readonly scheduler: SchedulerClient,
    private readonly config: ScheduleConfig,
    private readonly clock: Clock,
  ) {}

  /** `name` must be deterministic: sending the same thing again finds its schedule already there. */
  async sendAt(target: QueueTarget, name: string, body: string, at: string): Promise<void> {
    const delaySeconds = Math.ceil((Date.parse(at) - this.clock.now().getTime()) / 1000);
    if (delaySeconds <= MAX_SQS_DELAY_SECONDS) {
      await this.sqs.send(
        new SendMessageCommand({
          QueueUrl: target.queueUrl,
          MessageBody: body,
          DelaySeconds: Math.max(0, delaySeconds),
        }),
      );
      return;
    }
    try {
      await this.scheduler.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: this.config.groupName,
          ScheduleExpression: atExpression(at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: target.queueArn,
            RoleArn: this.config.roleArn,
            Input: body,
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
            DeadLetterConfig: { Arn: this.config.deadLetterArn },
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
    }
  }

  async cancel(name: string): Promise<void> {
    try {
      await this.scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: this.config.groupName }));
    } catch (error) {
      // A short delay went through SQS (nothing to delete), or the schedule fired and deleted itself.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}

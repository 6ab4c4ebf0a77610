// Journey wake-ups: an SQS delay up to 15 minutes, a one-time EventBridge Scheduler schedule beyond.

import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import type { WakeUp } from '../../core/journeys/instance.js';
import type { Clock, StepScheduler } from '../../ports.js';

/** SQS's maximum DelaySeconds. */
export const MAX_SQS_DELAY_SECONDS = 15 * 60;

export type SchedulerConfig = {
  queueUrl: string;
  queueArn: string;
  /** The role EventBridge Scheduler assumes to send to the queue. */
  roleArn: string;
  deadLetterArn: string;
  groupName: string;
};

/** Deterministic from instance and wait: retrying the schedule call is a no-op, cancelling needs no lookup. */
export function scheduleName(wakeUp: Pick<WakeUp, 'userKey' | 'journeyId' | 'instanceId' | 'token'>): string {
  const id = createHash('sha256').update(`${wakeUp.userKey}\u0000${wakeUp.journeyId}\u0000${wakeUp.instanceId}`).digest('base64url').slice(0, 32);
  return `ji-${id}-${wakeUp.token}`;
}

/** `at()` takes local date-time without zone or fraction; the zone is given separately (UTC). */
export function atExpression(at: string): string {
  return `at(${new Date(at).toISOString().slice(0, 19)})`;
}

export class EventBridgeStepScheduler implements StepScheduler {
  constructor(
    private readonly sqs: SQSClient,
    private readonly scheduler: SchedulerClient,
    private readonly config: SchedulerConfig,
    private readonly clock: Clock,
  ) {}

  async schedule(wakeUp: WakeUp): Promise<void> {
    const delaySeconds = Math.ceil((Date.parse(wakeUp.at) - this.clock.now().getTime()) / 1000);
    if (delaySeconds <= MAX_SQS_DELAY_SECONDS) {
      await this.sqs.send(
        new SendMessageCommand({ QueueUrl: this.config.queueUrl, MessageBody: JSON.stringify(wakeUp), DelaySeconds: Math.max(0, delaySeconds) }),
      );
      return;
    }
    try {
      await this.scheduler.send(
        new CreateScheduleCommand({
          Name: scheduleName(wakeUp),
          GroupName: this.config.groupName,
          ScheduleExpression: atExpression(wakeUp.at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.config.queueArn,
            RoleArn: this.config.roleArn,
            Input: JSON.stringify(wakeUp),
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
            DeadLetterConfig: { Arn: this.config.deadLetterArn },
          },
        }),
      );
    } catch (error) {
      // The same wake-up scheduled again (a retried step) finds its schedule already there.
      if (!(error instanceof ConflictException)) throw error;
    }
  }

  async cancel(wakeUp: WakeUp): Promise<void> {
    try {
      await this.scheduler.send(new DeleteScheduleCommand({ Name: scheduleName(wakeUp), GroupName: this.config.groupName }));
    } catch (error) {
      // A short wait went through SQS (nothing to delete) or the schedule already fired and deleted itself.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}

// Journey time and hand-off: the journey-steps queue and its Lambda, the schedule group and the role
// EventBridge Scheduler uses, and one SQS queue per channel for the senders.

import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHANNELS, type Channel } from '../functions/core/delivery/channel.js';
import { handlerEntries } from './bundling.js';
import { QUEUE_CONSUMER_TIMEOUTS, RetainFunction, queueVisibilityFor } from './RetainFunction.js';
import type { Tables } from './Tables.js';
import { ENV } from '../functions/environment.js';

export type JourneysProps = { tables: Tables; scheduleGroupName: string };

/** A queue with its own dead-letter queue: a poison message moves aside after five receives. */
export function queueWithDeadLetters(
  scope: Construct,
  id: string,
  visibilityTimeout: Duration,
): { queue: Queue; deadLetters: Queue } {
  const deadLetters = new Queue(scope, `${id}DeadLetters`, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetters).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is the dead-letter queue of ${id}.`,
  });
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout,
    retentionPeriod: Duration.days(14),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
  });
  return { queue, deadLetters };
}

export class Journeys extends Construct {
  readonly stepsQueue: Queue;
  readonly stepsDeadLetters: Queue;
  readonly channelQueues: Record<Channel, { queue: Queue; deadLetters: Queue }>;
  /** Broadcast fan-out pages (each a page of the audience onto the channel queues). */
  readonly broadcastPages: { queue: Queue; deadLetters: Queue };
  readonly schedulerRole: Role;
  readonly journeyStep: RetainFunction;
  private readonly tables: Tables;
  private readonly scheduleGroupName: string;

  constructor(scope: Construct, id: string, props: JourneysProps) {
    super(scope, id);
    this.tables = props.tables;
    this.scheduleGroupName = props.scheduleGroupName;
    const steps = queueWithDeadLetters(this, 'JourneySteps', queueVisibilityFor(QUEUE_CONSUMER_TIMEOUTS.journeyStep));
    this.stepsQueue = steps.queue;
    this.stepsDeadLetters = steps.deadLetters;
    this.channelQueues = Object.fromEntries(
      CHANNELS.map((channel) => [
        channel,
        queueWithDeadLetters(
          this,
          `${channel[0].toUpperCase()}${channel.slice(1)}Deliveries`,
          queueVisibilityFor(QUEUE_CONSUMER_TIMEOUTS.sendMessage),
        ),
      ]),
    ) as Journeys['channelQueues'];

    this.broadcastPages = queueWithDeadLetters(
      this,
      'BroadcastPages',
      queueVisibilityFor(QUEUE_CONSUMER_TIMEOUTS.broadcastFanOut),
    );

    new CfnScheduleGroup(this, 'ScheduleGroup', { name: props.scheduleGroupName });
    // What EventBridge Scheduler assumes to deliver a wake-up (or, failing that, to dead-letter it).
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
    });
    // Wake-ups go to the steps queue; quiet-hours deferrals back to their channel queue.
    this.schedulerRole.addToPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [
          this.stepsQueue.queueArn,
          this.stepsDeadLetters.queueArn,
          this.broadcastPages.queue.queueArn,
          ...Object.values(this.channelQueues).map((q) => q.queue.queueArn),
        ],
      }),
    );

    this.journeyStep = new RetainFunction(this, 'JourneyStep', {
      entry: handlerEntries.journeyStep,
      description: 'Retain journey-step: a wake-up continues its journey instance',
      timeout: QUEUE_CONSUMER_TIMEOUTS.journeyStep,
      environment: this.environment,
    });
    this.allowRunningJourneys(this.journeyStep);
    this.journeyStep.function.addEventSource(
      new SqsEventSource(this.stepsQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );
  }

  /** What every function that runs journeys is told about queues and the scheduler. */
  get environment(): Record<string, string> {
    return {
      ...this.tables.environment,
      [ENV.JOURNEY_STEPS_QUEUE_URL]: this.stepsQueue.queueUrl,
      [ENV.JOURNEY_STEPS_QUEUE_ARN]: this.stepsQueue.queueArn,
      [ENV.SCHEDULER_ROLE_ARN]: this.schedulerRole.roleArn,
      [ENV.SCHEDULER_DLQ_ARN]: this.stepsDeadLetters.queueArn,
      [ENV.SCHEDULE_GROUP]: this.scheduleGroupName,
      [ENV.EMAIL_QUEUE_URL]: this.channelQueues.email.queue.queueUrl,
      [ENV.PUSH_QUEUE_URL]: this.channelQueues.push.queue.queueUrl,
      [ENV.SMS_QUEUE_URL]: this.channelQueues.sms.queue.queueUrl,
      [ENV.KAKAO_QUEUE_URL]: this.channelQueues.kakao.queue.queueUrl,
      [ENV.BROADCAST_QUEUE_URL]: this.broadcastPages.queue.queueUrl,
      [ENV.BROADCAST_QUEUE_ARN]: this.broadcastPages.queue.queueArn,
    };
  }

  /** Grants a function what running journeys takes: instances, journeys, profiles, wake-ups, deliveries. */
  allowRunningJourneys(fn: RetainFunction): void {
    const { state, config, profiles } = this.tables.byKey;
    fn.allowTable(state, ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'BatchGetItem', 'ConditionCheckItem']);
    fn.allowTable(config, ['GetItem', 'Query', 'BatchGetItem'], ['byKind']);
    fn.allowTable(profiles, ['GetItem', 'BatchGetItem', 'PutItem']);
    this.allowScheduling(fn);
  }

  /** Sending later: to the steps and channel queues directly (≤ 15 min) or through one-time schedules. */
  allowScheduling(fn: RetainFunction): void {
    this.stepsQueue.grantSendMessages(fn.function);
    this.broadcastPages.queue.grantSendMessages(fn.function);
    for (const { queue } of Object.values(this.channelQueues)) queue.grantSendMessages(fn.function);
    const schedules = Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroupName}/*`,
    });
    fn.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [schedules],
      }),
    );
    this.schedulerRole.grantPassRole(fn.function.role!);
    // cdk-nag names the finding by the ARN as it renders it: unresolved parts as <AWS::…> placeholders.
    const stack = Stack.of(this);
    const shown = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
    const finding = `arn:<AWS::Partition>:scheduler:${shown(stack.region, '<AWS::Region>')}:${shown(stack.account, '<AWS::AccountId>')}:schedule/${this.scheduleGroupName}/*`;
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${finding}]`,
      reason:
        "One-time schedules are named per journey instance and wait at run time; the wildcard is limited to Retain's own schedule group.",
    });
  }
}

// process-events: the Events table stream (INSERT only) folded into profiles, with an on-failure queue.

import { Duration } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ENV } from '../functions/environment.js';
import { handlerEntries } from './bundling.js';
import { RetainFunction } from './RetainFunction.js';
import type { Journeys } from './Journeys.js';
import type { Tables } from './Tables.js';

export class EventPipeline extends Construct {
  readonly processEvents: RetainFunction;
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: { tables: Tables; journeys: Journeys; eventRetentionDays: number }) {
    super(scope, id);
    this.processEvents = new RetainFunction(this, 'ProcessEvents', {
      entry: handlerEntries.processEvents,
      description: 'Retain process-events: applies new events to customer profiles, then runs the journeys',
      timeout: Duration.seconds(60),
      environment: {
        ...props.journeys.environment,
        [ENV.EVENT_RETENTION_DAYS]: String(props.eventRetentionDays),
      },
    });
    const fn = this.processEvents.function;
    props.journeys.allowRunningJourneys(this.processEvents);
    // `Push Opened` events mark the message log and goal events convert recent messages (UpdateItem and Query
    // on msg# rows, covered by the State grant); both add to the live counters.
    this.processEvents.allowTable(props.tables.byKey.metrics, ['UpdateItem']);
    // An order naming a coupon marks its code used and adds to the pool's counts.
    this.processEvents.allowTable(props.tables.byKey.config, ['GetItem', 'UpdateItem']);
    // A change of loyalty tier is recorded as a `Tier Changed` event, which comes back through this stream.
    this.processEvents.allowTable(props.tables.byKey.events, ['BatchWriteItem']);

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the process-events stream mapping.',
    });

    fn.addEventSource(
      new DynamoEventSource(props.tables.byKey.events, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        // Lambda keeps per-customer order with parallelisation because records of one key share a shard.
        parallelizationFactor: 2,
        filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(24),
        onFailure: new SqsDlq(this.failures),
      }),
    );
    Validations.of(this.processEvents).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The DynamoDB event source grants dynamodb:ListStreams, an account-level action that IAM only allows on "*"; the read actions are scoped to the Events stream ARN.',
    });
  }
}

// Broadcasts: the fan-out Lambda on the broadcast queue, reading the audience a page at a time and putting
// each recipient's request on its channel queue at its throttled time.

import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { SCAN_SEGMENTS } from '../functions/core/broadcasts/fanOut.js';
import { handlerEntries } from './bundling.js';
import type { Journeys } from './Journeys.js';
import { QUEUE_CONSUMER_TIMEOUTS, RetainFunction } from './RetainFunction.js';
import type { Tables } from './Tables.js';

export type BroadcastsProps = { tables: Tables; journeys: Journeys };

export class Broadcasts extends Construct {
  readonly fanOut: RetainFunction;

  constructor(scope: Construct, id: string, props: BroadcastsProps) {
    super(scope, id);
    const { config, profiles } = props.tables.byKey;
    this.fanOut = new RetainFunction(this, 'FanOut', {
      entry: handlerEntries.broadcastFanOut,
      description: 'Retain broadcast fan-out: a page of the audience onto the channel queues, throttled',
      timeout: QUEUE_CONSUMER_TIMEOUTS.broadcastFanOut,
      environment: props.journeys.environment,
    });
    this.fanOut.allowTable(config, ['GetItem', 'PutItem', 'UpdateItem', 'Query'], ['byKind']);
    this.fanOut.allowTable(profiles, ['Scan']);
    props.journeys.allowScheduling(this.fanOut);
    this.fanOut.function.addEventSource(
      new SqsEventSource(props.journeys.broadcastPages.queue, {
        // A page is a scan and up to 1,000 sends: one per invocation, every scan segment in parallel.
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: Math.max(2, SCAN_SEGMENTS * 2),
      }),
    );
  }
}

// What operators watch: alarms on dead letters, errors, throttling, pipeline lag, API 5xx, sending failures and
// SES reputation, and one dashboard from ingest to send.

import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { CHANNELS, type Channel } from '../functions/core/delivery/channel.js';
import { TELEMETRY_METRICS, TELEMETRY_NAMESPACE, TELEMETRY_SERVICE } from '../functions/adapters/aws/telemetryNames.js';
import type { RetainFunction } from './RetainFunction.js';

export type ObservabilityProps = {
  functions: RetainFunction[];
  deadLetterQueues: Queue[];
  streamConsumer: RetainFunction;
  httpApi: HttpApi;
  /** The dashboard's ingest rate. */
  ingest: RetainFunction;
  /** The dashboard's journey steps. */
  journeyStep: RetainFunction;
  /** The Athena workgroup of the reports: the dashboard shows what they scan. */
  reportWorkGroup: string;
  /** An SNS topic of the team's own (e-mail, chat) to notify; alarms stay visible in the console without it. */
  alarmTopicArn?: string;
  /** X-Ray tracing on every function (Powertools Tracer); off by default, as it costs per trace. */
  tracing?: boolean;
};

/** The failure-rate alarm waits for this many sends and failures in its window: two failures of three is noise. */
export const FAILURE_RATE_MIN_VOLUME = 20;
export const FAILURE_RATE_THRESHOLD = 0.05;
/** SES: a bounce rate of 2 % is worth a look, at 5 % SES puts the account under review; complaints at 0.1 %. */
export const SES_BOUNCE_WARN = 0.02;
export const SES_BOUNCE_CRITICAL = 0.05;
export const SES_COMPLAINT_WARN = 0.001;

type AlarmOptions = { evaluationPeriods?: number; datapointsToAlarm?: number };

export class Observability extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const add = (name: string, metric: IMetric, threshold: number, description: string, options: AlarmOptions = {}) => {
      this.alarms.push(
        new Alarm(this, name, {
          metric,
          threshold,
          evaluationPeriods: options.evaluationPeriods ?? 1,
          datapointsToAlarm: options.datapointsToAlarm,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
          alarmDescription: description,
        }),
      );
    };
    for (const queue of props.deadLetterQueues) {
      add(
        `${queue.node.scope!.node.id}${queue.node.id}Depth`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        1,
        'A record reached a dead-letter queue: nothing is lost, but someone must look at it and redrive it.',
      );
    }
    for (const fn of props.functions) {
      add(
        `${fn.node.id}Errors`,
        fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        1,
        `${fn.node.id} failed with an unhandled error.`,
      );
      add(
        `${fn.node.id}Throttles`,
        fn.function.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        1,
        `Lambda throttled ${fn.node.id}: the account's concurrency is used up; queues hold the work, but it is late.`,
      );
    }
    add(
      'PipelineLag',
      props.streamConsumer.function.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }),
      5 * 60 * 1000,
      'process-events is more than five minutes behind the Events stream: profiles and journeys are late.',
    );
    add(
      'Api5xx',
      props.httpApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      5,
      'The API answered 5xx (503 means the Events table refused writes; clients retry).',
    );

    for (const channel of CHANNELS) {
      const sent = outcomeMetric(channel, 'sent', Duration.minutes(15));
      const failed = outcomeMetric(channel, 'failed', Duration.minutes(15));
      add(
        `${capitalised(channel)}FailureRate`,
        new MathExpression({
          expression: `IF(sent + failed >= ${FAILURE_RATE_MIN_VOLUME}, failed / (sent + failed), 0)`,
          usingMetrics: { sent, failed },
          period: Duration.minutes(15),
          label: `${channel} failure rate`,
        }),
        FAILURE_RATE_THRESHOLD,
        `More than ${FAILURE_RATE_THRESHOLD * 100} % of ${channel} messages failed in 15 minutes (at least ${FAILURE_RATE_MIN_VOLUME} tried): a paused SES account, an unverified domain, missing provider credentials. The message log's reasons say which.`,
      );
      add(
        `${capitalised(channel)}ProviderThrottled`,
        providerErrorMetric(channel, 'throttled', Duration.minutes(5)),
        1,
        `The ${channel} provider throttled sends in each of the last 15 minutes: messages are retried later and later; raise the provider's quota or slow the broadcasts.`,
        { evaluationPeriods: 3, datapointsToAlarm: 3 },
      );
    }
    const reputation = (name: string) =>
      new Metric({ namespace: 'AWS/SES', metricName: name, period: Duration.minutes(15), statistic: 'Maximum' });
    add(
      'SesBounceRateWarning',
      reputation('Reputation.BounceRate'),
      SES_BOUNCE_WARN,
      'The SES bounce rate reached 2 %: clean the lists (old addresses, imports) before SES reviews the account at 5 %.',
    );
    add(
      'SesBounceRateCritical',
      reputation('Reputation.BounceRate'),
      SES_BOUNCE_CRITICAL,
      'The SES bounce rate reached 5 %: SES puts the account under review and may pause sending.',
    );
    add(
      'SesComplaintRate',
      reputation('Reputation.ComplaintRate'),
      SES_COMPLAINT_WARN,
      'The SES complaint rate reached 0.1 %: recipients mark the mail as spam; check consent and frequency caps.',
    );
    add(
      'CouponPoolLow',
      new Metric({
        namespace: TELEMETRY_NAMESPACE,
        metricName: TELEMETRY_METRICS.couponPoolLow,
        dimensionsMap: { service: TELEMETRY_SERVICE },
        period: Duration.minutes(15),
        statistic: 'Sum',
      }),
      1,
      'A coupon pool has fewer unused codes than its alertBelow: messages that print its codes will fail once it is empty. The senders\' log line "coupon pool low" names the pool; add codes with POST /admin/v1/coupons/{pool}/codes.',
    );

    if (props.alarmTopicArn) {
      const topic = Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
      for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(topic));
    }
    if (props.tracing) for (const fn of props.functions) fn.enableTracing();

    this.dashboard = this.buildDashboard(props);
  }

  private buildDashboard(props: ObservabilityProps): Dashboard {
    const minute = Duration.minutes(1);
    const five = Duration.minutes(5);
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: 'Retain', defaultInterval: Duration.hours(6) });
    const outcomes = ['sent', 'failed', 'skipped', 'capped', 'deferred'] as const;
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Ingest rate (invocations/min)',
        left: [props.ingest.function.metricInvocations({ period: minute, statistic: 'Sum' })],
        width: 8,
      }),
      new GraphWidget({
        title: 'Pipeline lag (iterator age, ms)',
        left: [props.streamConsumer.function.metric('IteratorAge', { period: minute, statistic: 'Maximum' })],
        width: 8,
      }),
      new GraphWidget({
        title: 'Journey steps (wake-ups by outcome)',
        left: (['advanced', 'stale', 'held', 'ended'] as const).map(
          (outcome) =>
            new Metric({
              namespace: TELEMETRY_NAMESPACE,
              metricName: TELEMETRY_METRICS.journeyWakeUps,
              dimensionsMap: { service: TELEMETRY_SERVICE, Outcome: outcome },
              period: five,
              statistic: 'Sum',
              label: outcome,
            }),
        ),
        width: 8,
      }),
    );
    dashboard.addWidgets(
      ...CHANNELS.map(
        (channel) =>
          new GraphWidget({
            title: `Sends by outcome: ${channel}`,
            left: outcomes.map((outcome) => outcomeMetric(channel, outcome, five)),
            stacked: true,
            width: 6,
          }),
      ),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Trigger-to-send latency (ms)',
        left: CHANNELS.flatMap((channel) =>
          (['p50', 'p95'] as const).map(
            (statistic) =>
              new Metric({
                namespace: TELEMETRY_NAMESPACE,
                metricName: TELEMETRY_METRICS.triggerToSend,
                dimensionsMap: { service: TELEMETRY_SERVICE, Channel: channel },
                period: five,
                statistic,
                label: `${channel} ${statistic}`,
              }),
          ),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Dead-letter queue depths',
        left: props.deadLetterQueues.map((queue) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: minute,
            statistic: 'Maximum',
            label: `${queue.node.scope!.node.id} ${queue.node.id}`,
          }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Report scan bytes (Athena)',
        left: [
          new Metric({
            namespace: 'AWS/Athena',
            metricName: 'ProcessedBytes',
            dimensionsMap: { WorkGroup: props.reportWorkGroup, QueryState: 'SUCCEEDED', QueryType: 'DML' },
            period: Duration.hours(1),
            statistic: 'Sum',
          }),
        ],
        width: 8,
      }),
    );
    return dashboard;
  }
}

function outcomeMetric(channel: Channel, outcome: string, period: Duration): Metric {
  return new Metric({
    namespace: TELEMETRY_NAMESPACE,
    metricName: TELEMETRY_METRICS.messageOutcome,
    dimensionsMap: { service: TELEMETRY_SERVICE, Channel: channel, Outcome: outcome },
    period,
    statistic: 'Sum',
    label: outcome,
  });
}

function providerErrorMetric(channel: Channel, kind: string, period: Duration): Metric {
  return new Metric({
    namespace: TELEMETRY_NAMESPACE,
    metricName: TELEMETRY_METRICS.providerErrors,
    dimensionsMap: { service: TELEMETRY_SERVICE, Channel: channel, Kind: kind },
    period,
    statistic: 'Sum',
  });
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

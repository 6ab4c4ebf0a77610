// Alarms on what must never go unnoticed: dead letters, function errors, pipeline lag, API 5xx.

import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import type { RetainFunction } from './RetainFunction.js';

export type ObservabilityProps = {
  functions: RetainFunction[];
  deadLetterQueues: Queue[];
  streamConsumer: RetainFunction;
  httpApi: HttpApi;
  /** An SNS topic of the team's own (e-mail, chat) to notify; alarms stay visible in the console without it. */
  alarmTopicArn?: string;
};

export class Observability extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const add = (name: string, metric: IMetric, threshold: number, description: string) => {
      this.alarms.push(
        new Alarm(this, name, {
          metric,
          threshold,
          evaluationPeriods: 1,
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
    if (props.alarmTopicArn) {
      const topic = Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
      for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(topic));
    }
  }
}

// The stack's alarms, dashboard and tracing option, as synthesized: each alarm's metric and threshold.
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRetainApp } from '../support/retainApp.js';
import { handlerEntries } from '../../lib/bundling.js';

/** Every Lambda of the stack: one per entry, but the sender's entry runs as one function per channel (four). */
const FUNCTIONS = Object.keys(handlerEntries).length + 3;

type Resource = { Properties: Record<string, unknown> };

/** Retain's own functions (CDK adds helpers of its own, e.g. for the console upload). */
const retainFunctions = (t: Template) =>
  (Object.values(t.findResources('AWS::Lambda::Function')) as Resource[]).filter(
    (fn) => (fn.Properties.Environment as any)?.Variables?.POWERTOOLS_SERVICE_NAME === 'retain',
  );

describe('Observability', () => {
  let template: Template;
  let alarms: Resource[];
  // Synthesis takes a minute on a busy machine.
  beforeAll(() => {
    template = Template.fromStack(
      buildRetainApp({ alarmTopicArn: 'arn:aws:sns:ap-northeast-2:123456789012:ops' }).stack,
    );
    alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
  }, 300_000);

  const named = (description: RegExp) => alarms.filter((a) => description.test(String(a.Properties.AlarmDescription)));

  it('alarms on the failure rate of each channel: failed / (sent + failed) over 15 minutes, at least 20 tried', () => {
    for (const channel of ['email', 'push', 'sms', 'kakao']) {
      const [alarm] = named(new RegExp(`of ${channel} messages failed in 15 minutes`));
      expect(alarm.Properties).toMatchObject({ Threshold: 0.05, EvaluationPeriods: 1 });
      const metrics = alarm.Properties.Metrics as Record<string, any>[];
      expect(metrics.find((m) => m.Expression)).toMatchObject({
        Expression: 'IF(sent + failed >= 20, failed / (sent + failed), 0)',
        ReturnData: true,
      });
      for (const outcome of ['sent', 'failed']) {
        expect(metrics.find((m) => m.Id === outcome)).toMatchObject({
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'Retain',
              MetricName: 'MessageOutcome',
              Dimensions: expect.arrayContaining([
                { Name: 'service', Value: 'retain' },
                { Name: 'Channel', Value: channel },
                { Name: 'Outcome', Value: outcome },
              ]),
            },
            Period: 900,
            Stat: 'Sum',
          },
        });
      }
    }
  });

  it('alarms on SES reputation: bounce rate at 2 % and 5 %, complaint rate at 0.1 %', () => {
    const ses = alarms.filter((a) => a.Properties.Namespace === 'AWS/SES');
    expect(ses.map((a) => [a.Properties.MetricName, a.Properties.Threshold]).sort()).toEqual([
      ['Reputation.BounceRate', 0.02],
      ['Reputation.BounceRate', 0.05],
      ['Reputation.ComplaintRate', 0.001],
    ]);
    for (const alarm of ses) expect(alarm.Properties.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
  });

  it('alarms on throttling: every function by Lambda, and each provider throttling for 15 minutes straight', () => {
    expect(
      alarms.filter((a) => a.Properties.MetricName === 'Throttles' && a.Properties.Namespace === 'AWS/Lambda'),
    ).toHaveLength(FUNCTIONS);
    const provider = alarms.filter((a) => a.Properties.MetricName === 'ProviderErrors');
    expect(provider).toHaveLength(4);
    for (const alarm of provider) {
      expect(alarm.Properties).toMatchObject({
        Namespace: 'Retain',
        Threshold: 1,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        Period: 300,
        Dimensions: expect.arrayContaining([{ Name: 'Kind', Value: 'throttled' }]),
      });
    }
  });

  it('alarms when a claim leaves a coupon pool under its alertBelow, on the metric the senders emit', () => {
    expect(named(/coupon pool has fewer unused codes/)[0]?.Properties).toMatchObject({
      Namespace: 'Retain',
      MetricName: 'CouponPoolLow',
      Dimensions: [{ Name: 'service', Value: 'retain' }],
      Statistic: 'Sum',
      Threshold: 1,
      Period: 900,
    });
  });

  it('keeps the pipeline lag and dead-letter alarms, and sends every alarm to the SNS topic', () => {
    expect(named(/behind the Events stream/)[0].Properties).toMatchObject({
      MetricName: 'IteratorAge',
      Threshold: 300_000,
    });
    expect(alarms.filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(13);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:ap-northeast-2:123456789012:ops']);
    }
  });

  it('has a dashboard from ingest to send: ingest rate, lag, journey steps, sends by outcome, DLQs, report scans', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
    expect(dashboards).toHaveLength(1);
    // The body is a Fn::Join of literal JSON and resource references: the literal parts carry every title.
    const body = JSON.stringify(dashboards[0].Properties.DashboardBody);
    for (const title of [
      'Ingest rate (invocations/min)',
      'Pipeline lag (iterator age, ms)',
      'Journey steps (wake-ups by outcome)',
      'Sends by outcome: email',
      'Sends by outcome: kakao',
      'Trigger-to-send latency (ms)',
      'Dead-letter queue depths',
      'Report scan bytes (Athena)',
    ]) {
      expect(body).toContain(title);
    }
    for (const metric of ['Invocations', 'IteratorAge', 'JourneyWakeUps', 'MessageOutcome', 'ProcessedBytes']) {
      expect(body).toContain(`\\"${metric}\\"`);
    }
    expect(body).toContain('ApproximateNumberOfMessagesVisible');
  });

  it('leaves X-Ray off by default, the Tracer disabled in every function', () => {
    const functions = retainFunctions(template);
    expect(functions).toHaveLength(FUNCTIONS);
    for (const fn of functions) {
      expect(fn.Properties.TracingConfig).toBeUndefined();
      expect((fn.Properties.Environment as any).Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    }
  });

  it('turns X-Ray active tracing and the Tracer on for every function with `tracing`, cdk-nag still clean', () => {
    const { app, stack } = buildRetainApp({ tracing: true });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
    const traced = Template.fromStack(stack);
    const functions = retainFunctions(traced);
    expect(functions).toHaveLength(FUNCTIONS);
    for (const fn of functions) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect((fn.Properties.Environment as any).Variables.POWERTOOLS_TRACE_ENABLED).toBe('true');
    }
    traced.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }),
        ]),
      },
    });
  }, 300_000);
});

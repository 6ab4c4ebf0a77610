// A Retain Lambda: Node.js 24 on arm64, bundled ESM, its own log group and a role with no managed policy.

import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { bundling } from './bundling.js';

export type RetainFunctionProps = {
  entry: string;
  environment: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  description: string;
};

const projectRoot = join(import.meta.dirname, '..');

/** The timeouts of the SQS-triggered functions, which their queues' visibility timeouts are derived from. */
export const QUEUE_CONSUMER_TIMEOUTS = {
  journeyStep: Duration.seconds(30),
  sendMessage: Duration.seconds(30),
  broadcastFanOut: Duration.seconds(120),
  // An uploaded file is read twice (checked whole, then queued): a million rows is a few minutes.
  importFile: Duration.minutes(15),
  importChunks: Duration.seconds(120),
};

/**
 * AWS's guidance for a Lambda SQS event source: a visibility timeout of at least six function timeouts plus
 * the batching window, so a message is not handed to a second invocation while the first still retries it.
 */
export function queueVisibilityFor(
  functionTimeout: Duration,
  batchingWindow: Duration = Duration.seconds(0),
): Duration {
  return Duration.seconds(6 * functionTimeout.toSeconds() + batchingWindow.toSeconds());
}

export class RetainFunction extends Construct {
  readonly function: NodejsFunction;
  /** The entry module (one of `handlerEntries`): the infra test checks its environment against that entry's schema. */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: RetainFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Instead of AWSLambdaBasicExecutionRole (a managed policy on every log group), a role that may write
    // only to this function's own log group.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(projectRoot, props.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      description: props.description,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'retain',
        // The Tracer stays off unless the stack turns X-Ray on (enableTracing): it would log missing segments.
        POWERTOOLS_TRACE_ENABLED: 'false',
        ...props.environment,
      },
      bundling,
    });
  }

  /** X-Ray active tracing, and the Powertools Tracer in the handler, which sends the segments through it. */
  enableTracing(): void {
    (this.function.node.defaultChild as CfnFunction).tracingConfig = { mode: Tracing.ACTIVE };
    this.function.addEnvironment('POWERTOOLS_TRACE_ENABLED', 'true');
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }),
    );
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray accepts trace segments on no narrower resource than "*" (its actions have no resource types).',
    });
  }

  /**
   * Allows these DynamoDB actions on the table (and the named indexes) only. CDK's table grants add
   * `index/*` for every table; naming what is used keeps the policy least-privilege and wildcard-free.
   */
  allowTable(table: ITable, actions: string[], indexes: string[] = []): void {
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: actions.map((a) => `dynamodb:${a}`),
        resources: [table.tableArn, ...indexes.map((i) => `${table.tableArn}/index/${i}`)],
      }),
    );
  }
}

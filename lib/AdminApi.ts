// The admin API for marketers and operators: a Lambda behind an admin-token Lambda authorizer.

import { Aws, Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { routes } from '../functions/routes.js';
import { handlerEntries } from './bundling.js';
import type { PublicApi } from './PublicApi.js';
import { RetainFunction } from './RetainFunction.js';
import type { Journeys } from './Journeys.js';
import type { Senders } from './Senders.js';
import type { Analytics } from './Analytics.js';
import type { Tables } from './Tables.js';
import { ENV } from '../functions/environment.js';
import type { TeamSignIn } from './TeamSignIn.js';

export type AdminApiProps = {
  api: PublicApi;
  tables: Tables;
  journeys: Journeys;
  senders: Senders;
  analytics: Analytics;
  /** People signing in: the authorizer verifies their Cognito access tokens. */
  team: TeamSignIn;
  eventRetentionDays: number;
};

export class AdminApi extends Construct {
  readonly handler: RetainFunction;
  readonly authorizer: RetainFunction;

  constructor(scope: Construct, id: string, props: AdminApiProps) {
    super(scope, id);
    const environment = {
      ...props.senders.environment,
      ...props.analytics.environment,
      [ENV.EVENT_RETENTION_DAYS]: String(props.eventRetentionDays),
    };
    this.authorizer = new RetainFunction(this, 'Authorizer', {
      entry: handlerEntries.adminAuthorizer,
      description: 'Retain admin authorizer: an admin token against its stored hash, or a person’s Cognito token',
      memorySize: 256,
      environment: { ...environment, ...props.team.environment },
    });
    this.authorizer.allowTable(props.tables.byKey.config, ['GetItem']);

    this.handler = new RetainFunction(this, 'Admin', {
      entry: handlerEntries.admin,
      description:
        'Retain admin API: write keys, profiles, erasure, ingest errors, journeys, segments, templates, broadcasts',
      timeout: Duration.seconds(29),
      environment,
    });
    const fn = this.handler.function;
    const { config, profiles, events, state, audit } = props.tables.byKey;
    // Append and read only: no role in the stack may update or delete an audit entry.
    this.handler.allowTable(audit, ['PutItem', 'Query']);
    this.handler.allowTable(
      config,
      [
        'GetItem',
        'PutItem',
        'UpdateItem',
        'DeleteItem',
        'Query',
        'BatchGetItem',
        'BatchWriteItem',
        'ConditionCheckItem',
      ],
      ['byKind'],
    );
    // Scan: segment estimates count matching profiles (an admin action, never on the event path). Query: the
    // address indexes, support's "find by e-mail or phone".
    this.handler.allowTable(
      profiles,
      ['GetItem', 'BatchGetItem', 'DeleteItem', 'Scan', 'Query'],
      ['byEmail', 'byPhone'],
    );
    // "Enter now" runs journeys from here; template previews and test sends use the senders' keys and SES.
    props.journeys.allowRunningJourneys(this.handler);
    props.senders.allowSending(this.handler);
    // Reading a customer's timeline, and erasure: their events and per-user state are queried and deleted.
    this.handler.allowTable(events, ['Query', 'BatchWriteItem']);
    this.handler.allowTable(state, ['Query', 'BatchWriteItem']);
    // Reports read the live counters, and query the archive on Athena.
    this.handler.allowTable(props.tables.byKey.metrics, ['Query']);
    props.analytics.allowReports(this.handler);
    // Erasure adds the customer's hashed keys to the list every report filters by.
    props.analytics.allowErasureList(this.handler);
    // Broadcast checklists read frequency-cap counters in bulk.
    this.handler.allowTable(state, ['BatchGetItem']);

    const authorizer = new HttpLambdaAuthorizer('AdminToken', this.authorizer.function, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      // A revoked token keeps working for at most this long; the cache saves an invocation per call.
      resultsCacheTtl: Duration.minutes(5),
    });
    const integration = new HttpLambdaIntegration('AdminIntegration', fn);
    for (const route of routes.filter((r) => r.target === 'admin')) {
      props.api.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer,
      });
    }
  }

  /**
   * The console's Home counts what waits in each dead-letter queue. The queues go by name under one base address
   * (their URLs would take a third of the 4 KB Lambda allows for the environment); the admin may only read their
   * attributes.
   */
  countDeadLetters(queues: Record<string, IQueue>): void {
    const fn = this.handler.function;
    fn.addEnvironment(
      ENV.DEAD_LETTER_QUEUES,
      Object.entries(queues)
        .map(([label, queue]) => `${label}=${queue.queueName}`)
        .join(','),
    );
    fn.addEnvironment(ENV.DEAD_LETTER_QUEUE_BASE, `https://sqs.${Aws.REGION}.${Aws.URL_SUFFIX}/${Aws.ACCOUNT_ID}`);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:GetQueueAttributes'],
        resources: Object.values(queues).map((queue) => queue.queueArn),
      }),
    );
  }
}

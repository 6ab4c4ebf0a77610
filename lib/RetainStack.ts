// The Retain stack: tables, the public API (ingest + admin), the event pipeline, journeys, their alarms, the console.

import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AdminApi } from './AdminApi.js';
import { Analytics } from './Analytics.js';
import { Broadcasts } from './Broadcasts.js';
import { Imports } from './Imports.js';
import { ConsoleHosting } from './ConsoleHosting.js';
import { EventPipeline } from './EventPipeline.js';
import { IngestApi } from './IngestApi.js';
import { Journeys } from './Journeys.js';
import { Observability } from './Observability.js';
import { PublicApi } from './PublicApi.js';
import { Senders } from './Senders.js';
import { Tables } from './Tables.js';
import { TeamSignIn } from './TeamSignIn.js';

export type RetainStackProps = StackProps & {
  eventRetentionDays: number;
  ingestRateLimit: number;
  ingestBurstLimit: number;
  alarmTopicArn?: string;
  /** X-Ray tracing (Powertools Tracer) on every function; off unless asked for. */
  tracing?: boolean;
  /** EventBridge Scheduler group of the journey wake-ups (default `retain`). */
  scheduleGroupName?: string;
  /** SES configuration set the e-mail sender uses (default `retain`). */
  sesConfigurationSetName?: string;
  /** People's sign-in: MFA required (default) or optional, and the hosted sign-in's domain prefix. */
  teamMfa?: 'required' | 'optional';
  signInDomainPrefix?: string;
};

export class RetainStack extends Stack {
  constructor(scope: Construct, id: string, props: RetainStackProps) {
    super(scope, id, props);
    const tables = new Tables(this, 'Tables');
    const team = new TeamSignIn(this, 'Team', { mfa: props.teamMfa, domainPrefix: props.signInDomainPrefix });
    const api = new PublicApi(this, 'Api', { rateLimit: props.ingestRateLimit, burstLimit: props.ingestBurstLimit });
    const ingest = new IngestApi(this, 'IngestApi', { api, tables, eventRetentionDays: props.eventRetentionDays });
    const journeys = new Journeys(this, 'Journeys', { tables, scheduleGroupName: props.scheduleGroupName ?? 'retain' });
    const senders = new Senders(this, 'Senders', {
      api,
      tables,
      journeys,
      configurationSetName: props.sesConfigurationSetName ?? 'retain',
    });
    const broadcasts = new Broadcasts(this, 'Broadcasts', { tables, journeys });
    const analytics = new Analytics(this, 'Analytics', { tables, journeys });
    const admin = new AdminApi(this, 'AdminApi', {
      api,
      tables,
      journeys,
      senders,
      analytics,
      team,
      eventRetentionDays: props.eventRetentionDays,
    });
    const pipeline = new EventPipeline(this, 'EventPipeline', {
      tables,
      journeys,
      eventRetentionDays: props.eventRetentionDays,
    });
    const consoleHosting = new ConsoleHosting(this, 'Console', { api, signIn: team.consoleSignIn });
    const imports = new Imports(this, 'Imports', { tables, eventRetentionDays: props.eventRetentionDays });
    imports.allowUploadUrls(admin.handler, `https://${consoleHosting.distribution.distributionDomainName}`);
    team.returnTo(consoleHosting.url);
    // By the names the local runtime gives the same queues, so Home reads alike in both.
    const deadLetterQueues = {
      'process-events': pipeline.failures,
      'journey-steps': journeys.stepsDeadLetters,
      ...Object.fromEntries(Object.entries(journeys.channelQueues).map(([channel, q]) => [channel, q.deadLetters])),
      'broadcast-pages': journeys.broadcastPages.deadLetters,
      'ses-events': senders.sesEventsDeadLetters,
      'archive-events': analytics.failures,
      'daily-refresh': analytics.refreshDeadLetters,
      'archive-erasure': analytics.erasureDeadLetters,
      'import-files': imports.fileDeadLetters,
      'import-chunks': imports.chunkDeadLetters,
    };
    admin.countDeadLetters(deadLetterQueues);
    new Observability(this, 'Observability', {
      functions: [
        ingest.handler,
        admin.handler,
        admin.authorizer,
        pipeline.processEvents,
        journeys.journeyStep,
        senders.email,
        senders.push,
        senders.sms,
        senders.kakao,
        senders.sesEvents,
        senders.unsubscribe,
        senders.providerReports,
        broadcasts.fanOut,
        analytics.archiveEvents,
        analytics.dailyRefresh,
        analytics.archiveErasure,
        imports.importFile,
        imports.importChunks,
      ],
      deadLetterQueues: Object.values(deadLetterQueues),
      streamConsumer: pipeline.processEvents,
      httpApi: api.httpApi,
      alarmTopicArn: props.alarmTopicArn,
      ingest: ingest.handler,
      journeyStep: journeys.journeyStep,
      reportWorkGroup: analytics.workGroupName,
      tracing: props.tracing,
    });

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Point Segment clients here (host)' });
    new CfnOutput(this, 'ConsoleUrl', { value: consoleHosting.url, description: 'Open the console here' });
    new CfnOutput(this, 'TeamUserPoolId', {
      value: team.userPool.userPoolId,
      description: 'Used by `retain person add --user-pool` to invite the first owner',
    });
    new CfnOutput(this, 'ConfigTableName', {
      value: tables.byKey.config.tableName,
      description: 'Used by `retain admin-token create --table` to issue the first admin token',
    });
  }
}

// The CDK app: reads configuration from context and instantiates the Retain stack, checked by cdk-nag.

import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RetainStack } from '../lib/RetainStack.js';

const app = new App();
const context = (key: string) => app.node.tryGetContext(`retain:${key}`);

new RetainStack(app, context('stackName') ?? 'Retain', {
  description: 'Retain: serverless CRM marketing automation',
  eventRetentionDays: Number(context('eventRetentionDays') ?? 90),
  ingestRateLimit: Number(context('ingestRateLimit') ?? 1000),
  ingestBurstLimit: Number(context('ingestBurstLimit') ?? 2000),
  alarmTopicArn: context('alarmTopicArn'),
  tracing: String(context('tracing') ?? 'false') === 'true',
  scheduleGroupName: context('scheduleGroupName'),
  sesConfigurationSetName: context('sesConfigurationSetName'),
  teamMfa: context('teamMfa') === 'optional' ? 'optional' : 'required',
  signInDomainPrefix: context('signInDomainPrefix'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

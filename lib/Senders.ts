// The senders: e-mail (SES) and push Lambdas on their channel queues, the SES configuration set and its
// feedback path, the public unsubscribe link, and the secrets they sign and authenticate with.

import { Duration, SecretValue, Stack, Token, Validations } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
} from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { routes } from '../functions/routes.js';
import { handlerEntries } from './bundling.js';
import type { Journeys } from './Journeys.js';
import type { PublicApi } from './PublicApi.js';
import { QUEUE_CONSUMER_TIMEOUTS, RetainFunction } from './RetainFunction.js';
import type { Tables } from './Tables.js';
import { ENV } from '../functions/environment.js';

export type SendersProps = { api: PublicApi; tables: Tables; journeys: Journeys; configurationSetName: string };

export class Senders extends Construct {
  readonly email: RetainFunction;
  readonly push: RetainFunction;
  readonly sms: RetainFunction;
  readonly kakao: RetainFunction;
  private readonly messagingCredentials: Secret;
  readonly sesEvents: RetainFunction;
  readonly unsubscribe: RetainFunction;
  readonly providerReports: RetainFunction;
  readonly sesEventsDeadLetters: Queue;
  private readonly unsubscribeSecret: Secret;
  private readonly pushCredentials: Secret;
  private readonly props: SendersProps;

  constructor(scope: Construct, id: string, props: SendersProps) {
    super(scope, id);
    this.props = props;
    this.unsubscribeSecret = new Secret(this, 'UnsubscribeSigningKey', {
      description: 'Retain: HMAC key of the unsubscribe links in marketing messages',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.unsubscribeSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the signing key would break the unsubscribe links in every message already sent, which the law requires to keep working.',
    });
    this.pushCredentials = this.providerCredentials(
      'PushCredentials',
      'Retain: push provider credentials as JSON {"fcm": {projectId, clientEmail, privateKey}, "apns": {teamId, keyId, privateKey, bundleId}, "webPush": {subject, publicKey, privateKey}}',
      'FCM service-account keys and APNs keys are issued by Google and Apple',
    );
    this.messagingCredentials = this.providerCredentials(
      'MessagingCredentials',
      'Retain: Korean messaging provider credentials as JSON {"solapi": {"apiKey", "apiSecret"}} or {"webhook": {"url", "secret"}}',
      "SOLAPI API keys are issued in SOLAPI's console",
    );

    const configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
    });
    new ConfigurationSetEventDestination(this, 'FeedbackToEventBridge', {
      configurationSet,
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.OPEN,
        EmailSendingEvent.CLICK,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
      ],
    });

    this.email = this.sender('SendEmail', 'email');
    this.push = this.sender('SendPush', 'push');
    this.sms = this.sender('SendSms', 'sms');
    this.kakao = this.sender('SendKakao', 'kakao');

    this.sesEvents = new RetainFunction(this, 'SesEvents', {
      entry: handlerEntries.sesEvents,
      description: 'Retain ses-events: delivery, open, click, bounce and complaint feedback',
      environment: props.tables.environment,
    });
    this.sesEvents.allowTable(props.tables.byKey.state, ['UpdateItem']);
    this.sesEvents.allowTable(props.tables.byKey.metrics, ['UpdateItem']);
    this.sesEvents.allowTable(props.tables.byKey.config, ['PutItem']);
    this.sesEvents.allowTable(props.tables.byKey.events, ['BatchWriteItem']);
    this.sesEventsDeadLetters = new Queue(this, 'SesEventsDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.sesEventsDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the SES feedback rule.',
    });
    new Rule(this, 'SesFeedback', {
      description: 'SES events of the Retain configuration set',
      eventPattern: {
        source: ['aws.ses'],
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSetName] } } },
      },
      targets: [
        new LambdaFunction(this.sesEvents.function, { deadLetterQueue: this.sesEventsDeadLetters, retryAttempts: 8 }),
      ],
    });

    this.unsubscribe = new RetainFunction(this, 'Unsubscribe', {
      entry: handlerEntries.unsubscribe,
      description: 'Retain unsubscribe: the signed one-click opt-out link',
      memorySize: 256,
      // Only the key its links are signed with: the function is public, so it reads no provider's secret.
      environment: { ...props.tables.environment, [ENV.UNSUBSCRIBE_SECRET_ARN]: this.unsubscribeSecret.secretArn },
    });
    this.unsubscribe.allowTable(props.tables.byKey.events, ['BatchWriteItem']);
    // The unsubscribe is counted against its message, once.
    this.unsubscribe.allowTable(props.tables.byKey.state, ['UpdateItem']);
    this.unsubscribe.allowTable(props.tables.byKey.metrics, ['UpdateItem']);
    this.publicRoutes(
      this.unsubscribe,
      this.unsubscribeSecret,
      'unsubscribe',
      'The link a customer clicks in an e-mail carries its own authorisation: an HMAC-signed token that names the customer and the message; anything else gets 400.',
    );

    // Delivery reports and 080 opt-outs from the messaging provider (signed with the webhook secret).
    this.providerReports = new RetainFunction(this, 'ProviderReports', {
      entry: handlerEntries.providerReports,
      description: 'Retain provider-reports: text and KakaoTalk delivery reports and 080 opt-outs, signature-checked',
      memorySize: 256,
      // Only the messaging credentials (their webhook secret signs the reports).
      environment: {
        ...props.tables.environment,
        [ENV.MESSAGING_CREDENTIALS_SECRET_ARN]: this.messagingCredentials.secretArn,
      },
    });
    this.providerReports.allowTable(props.tables.byKey.state, ['GetItem', 'UpdateItem']);
    this.providerReports.allowTable(props.tables.byKey.config, ['PutItem']);
    this.providerReports.allowTable(props.tables.byKey.events, ['BatchWriteItem']);
    this.providerReports.allowTable(props.tables.byKey.metrics, ['UpdateItem']);
    this.publicRoutes(
      this.providerReports,
      this.messagingCredentials,
      'provider-reports',
      'The provider signs each report with the shared webhook secret (HMAC of timestamp and body, five-minute window); the function refuses anything else with 401.',
    );
  }

  /** What the senders (and the admin API's previews and test sends) are told. */
  get environment(): Record<string, string> {
    const { journeys } = this.props;
    return {
      ...journeys.environment,
      [ENV.EMAIL_QUEUE_ARN]: journeys.channelQueues.email.queue.queueArn,
      [ENV.PUSH_QUEUE_ARN]: journeys.channelQueues.push.queue.queueArn,
      [ENV.PUBLIC_API_URL]: this.props.api.url,
      [ENV.UNSUBSCRIBE_SECRET_ARN]: this.unsubscribeSecret.secretArn,
      [ENV.PUSH_CREDENTIALS_SECRET_ARN]: this.pushCredentials.secretArn,
      [ENV.MESSAGING_CREDENTIALS_SECRET_ARN]: this.messagingCredentials.secretArn,
      [ENV.SMS_QUEUE_ARN]: journeys.channelQueues.sms.queue.queueArn,
      [ENV.KAKAO_QUEUE_ARN]: journeys.channelQueues.kakao.queue.queueArn,
      [ENV.SES_CONFIGURATION_SET]: this.props.configurationSetName,
    };
  }

  /** Grants what sending takes: the message log, caps, settings and templates, secrets, SES, deferral. */
  allowSending(fn: RetainFunction): void {
    const { state, config, profiles } = this.props.tables.byKey;
    fn.allowTable(state, ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'ConditionCheckItem']);
    // Coupon claims: the pool's conditional ADD, the holder and message rows in one transaction.
    // BatchGetItem: a message's recommended products from the catalog, in one read.
    fn.allowTable(
      config,
      ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'],
      ['byKind'],
    );
    fn.allowTable(profiles, ['GetItem', 'PutItem']);
    // Every outcome is an atomic ADD on the live counters.
    fn.allowTable(this.props.tables.byKey.metrics, ['UpdateItem']);
    this.unsubscribeSecret.grantRead(fn.function);
    this.pushCredentials.grantRead(fn.function);
    this.messagingCredentials.grantRead(fn.function);
    const stack = Stack.of(this);
    const identities = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
    const configurationSet = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.props.configurationSetName,
    });
    fn.function.addToRolePolicy(
      new PolicyStatement({ actions: ['ses:SendRawEmail'], resources: [identities, configurationSet] }),
    );
    const shown = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${shown(stack.region, '<AWS::Region>')}:${shown(stack.account, '<AWS::AccountId>')}:identity/*]`,
      reason:
        "The sending domains are the team's own SES identities, verified outside this stack; sending is limited to the Retain configuration set.",
    });
    // Quiet hours put the request back on its channel queue later: by SQS delay or a one-time schedule.
    this.props.journeys.allowScheduling(fn);
  }

  /** A public function's routes (no authorizer: each request carries its own signature) and the one secret it reads. */
  private publicRoutes(
    fn: RetainFunction,
    secret: Secret,
    target: 'unsubscribe' | 'provider-reports',
    why: string,
  ): void {
    secret.grantRead(fn.function);
    const integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn.function);
    for (const route of routes.filter((r) => r.target === target)) {
      const [httpRoute] = this.props.api.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
      });
      Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: why });
    }
  }

  /** A secret the team fills in after deploy (`{}` until then), with credentials a provider issued. */
  private providerCredentials(id: string, description: string, issuedBy: string): Secret {
    const secret = new Secret(this, id, { description, secretStringValue: SecretValue.unsafePlainText('{}') });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: `${issuedBy}; rotation happens there and is pasted in, not by a Lambda.`,
    });
    return secret;
  }

  private sender(id: string, channel: 'email' | 'push' | 'sms' | 'kakao'): RetainFunction {
    const sender = new RetainFunction(this, id, {
      entry: handlerEntries.sendMessage,
      description: `Retain send-${channel}: consent, suppression, quiet hours, caps, rendering, ad-law marking, then ${{ email: 'SES', push: 'FCM / APNs / Web Push', sms: 'SOLAPI', kakao: 'SOLAPI (AlimTalk, Brand Message)' }[channel]}`,
      timeout: QUEUE_CONSUMER_TIMEOUTS.sendMessage,
      environment: this.environment,
    });
    this.allowSending(sender);
    sender.function.addEventSource(
      new SqsEventSource(this.props.journeys.channelQueues[channel].queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Providers have their own rate limits; this keeps a burst from turning into throttling.
        maxConcurrency: 20,
      }),
    );
    return sender;
  }
}

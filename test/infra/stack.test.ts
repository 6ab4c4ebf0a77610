import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.js';
import { buildRetainApp } from '../support/retainApp.js';
import { handlerEntries } from '../../lib/bundling.js';

/** Every Lambda of the stack: one per entry, but the sender's entry runs as one function per channel (four). */
const FUNCTIONS = Object.keys(handlerEntries).length + 3;

describe('RetainStack', () => {
  let template: Template;
  // Synthesis takes a minute on a busy machine.
  beforeAll(() => {
    template = Template.fromStack(buildRetainApp().stack);
  }, 300_000);

  it('passes the cdk-nag AwsSolutions checks with every acknowledgement justified', () => {
    const { app } = buildRetainApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('fails the cdk-nag check when a finding is not acknowledged', async () => {
    const { app, stack } = buildRetainApp();
    const { Queue } = await import('aws-cdk-lib/aws-sqs');
    new Queue(stack, 'Unencrypted', { enforceSSL: false });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it('creates the six tables on demand, encrypted, with point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 6);
    template.allResourcesProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'userKey', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('runs every function on Node.js 24, arm64, with its own role and no managed policy', () => {
    // Besides Retain's own: the console's deploy-time copy (BucketDeployment's custom resource, on the role we give it).
    const all = Object.entries(template.findResources('AWS::Lambda::Function'));
    const deployCopy = all.filter(([id]) => id.startsWith('CustomCDKBucketDeployment'));
    expect(deployCopy).toHaveLength(1);
    const functions = Object.fromEntries(all.filter(([id]) => !id.startsWith('CustomCDKBucketDeployment')));
    expect(Object.keys(functions)).toHaveLength(FUNCTIONS);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('feeds process-events from INSERTs only, bisecting, with bounded retries and an on-failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      StartingPosition: 'TRIM_HORIZON',
    });
  });

  it('creates every route of the route table, admin routes behind the admin-token authorizer', () => {
    const created = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(created.map((r) => r.Properties.RouteKey).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of created) {
      const isAdmin = String(route.Properties.RouteKey).includes('/admin/');
      expect(route.Properties.AuthorizationType).toBe(isAdmin ? 'CUSTOM' : 'NONE');
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
    });
  });

  it('throttles and access-logs the API stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
      AccessLogSettings: { DestinationArn: Match.anyValue() },
    });
  });

  it('grants the ingest function no more than writing events and reading keys', () => {
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyName: Match.stringLikeRegexp('IngestApiIngestRole') },
    });
    const actions = Object.values(policies).flatMap((p) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()),
    );
    expect(actions.sort()).toEqual(
      [
        'dynamodb:BatchWriteItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:GetItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ].sort(),
    );
  });

  it('signs people in through a Cognito pool: invited only, MFA, groups for the roles, a PKCE console client that signs out to the console', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties.GroupName,
    );
    expect(groups.sort()).toEqual(['analyst', 'approver', 'marketer', 'owner', 'privacy']);
    const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [
        {
          'Fn::Join': [
            '',
            ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^ConsoleDistribution/), 'DomainName'] }, '/console/'],
          ],
        },
      ],
    });
    // The hosted UI's logout returns only to the console itself (the console's sign-out sends people there).
    expect(client.Properties.LogoutURLs).toEqual(client.Properties.CallbackURLs);
    expect(client.Properties.LogoutURLs).toHaveLength(1);
    expect(client.Properties.ExplicitAuthFlows ?? []).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    // The authorizer verifies people's access tokens against this pool and client.
    const [authorizer] = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) =>
      String(f.Properties.Description).startsWith('Retain admin authorizer'),
    );
    expect(Object.keys(authorizer.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining(['TEAM_USER_POOL_ID', 'TEAM_CLIENT_ID']),
    );
  });

  it('lets only the admin API append to and read the audit log, and nothing update or delete an entry', () => {
    const [auditTable] = Object.keys(template.findResources('AWS::DynamoDB::Table')).filter((id) =>
      id.includes('Audit'),
    );
    expect(auditTable).toBeDefined();
    const onAudit = Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([policyId, policy]) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
        .filter((s) => JSON.stringify(s.Resource).includes(`"${auditTable}"`))
        .map((s) => ({ policyId, actions: [s.Action].flat().sort() })),
    );
    expect(onAudit).toHaveLength(1);
    expect(onAudit[0].policyId).toMatch(/^AdminApi/);
    expect(onAudit[0].actions).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
  });

  it('alarms on the dead-letter queue, function errors, pipeline lag and API 5xx', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const metrics = alarms.map((a) => a.Properties.MetricName);
    expect(metrics).toEqual(
      expect.arrayContaining(['ApproximateNumberOfMessagesVisible', 'Errors', 'IteratorAge', '5xx']),
    );
    // Every function (errors and throttles), 13 dead-letter queues (process-events and archive stream failures,
    // journey steps, broadcast pages, four channels, SES feedback, the nightly refresh, archive erasure, the import
    // files and their chunks), lag,
    // 5xx; per channel a failure rate and a provider throttle; SES bounce (two levels) and complaint rates; a coupon
    // pool running low.
    expect(alarms).toHaveLength(2 * FUNCTIONS + 13 + 2 + 2 * 4 + 3 + 1);
  });

  it('lets the admin API count what waits in every alarmed dead-letter queue, and only read their attributes', () => {
    const queueOf = (alarm: { [key: string]: { Dimensions?: { Name: string; Value: unknown }[] } }) =>
      (alarm.Properties.Dimensions ?? []).find((d) => d.Name === 'QueueName')?.Value as
        | { 'Fn::GetAtt': [string, string] }
        | undefined;
    const deadLetterQueues = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map((a) => queueOf(a)?.['Fn::GetAtt'][0])
      .filter((id): id is string => id !== undefined);
    expect(deadLetterQueues).toHaveLength(13);
    const [admin] = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Environment?.Variables?.DEAD_LETTER_QUEUES,
    );
    const variables = admin.Properties.Environment.Variables;
    const listed = JSON.stringify(variables.DEAD_LETTER_QUEUES);
    for (const id of deadLetterQueues) expect(listed).toContain(`"${id}","QueueName"`);
    for (const label of ['process-events', 'journey-steps', 'email', 'kakao', 'import-chunks'])
      expect(listed).toContain(`${label}=`);
    expect(JSON.stringify(variables.DEAD_LETTER_QUEUE_BASE)).toContain('AWS::AccountId');
    // The admin role's statements overflow from its inline policy into a customer-managed one.
    const policies = [
      ...Object.values(template.findResources('AWS::IAM::Policy')),
      ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
    ];
    const reads = policies.flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).filter(
        // Consumers read attributes too, with ReceiveMessage; the count is the one statement of that alone.
        (statement) => [statement.Action].flat().join() === 'sqs:GetQueueAttributes',
      ),
    );
    expect(reads).toHaveLength(1);
    const resources = JSON.stringify(reads[0].Resource);
    for (const id of deadLetterQueues) expect(resources).toContain(`"${id}","Arn"`);
    expect((reads[0].Resource as unknown[]).length).toBe(13);
  });

  it('schedules journey wake-ups in the retain group through a role only EventBridge Scheduler assumes', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'retain' });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceArn: Match.anyValue(),
    });
  });

  it('sends through an SES configuration set whose feedback reaches the ses-events function', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'retain' });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['open', 'click', 'bounce', 'complaint']),
      }),
    });
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['aws.ses'] }) });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 20 } });
  });

  it('gives the journey-steps queue, the broadcast queue, every channel queue and both import queues a dead-letter queue', () => {
    const queues = Object.values(template.findResources('AWS::SQS::Queue'));
    const withRedrive = queues.filter((q) => q.Properties.RedrivePolicy?.maxReceiveCount === 5);
    expect(withRedrive).toHaveLength(8);
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('fans broadcasts out one page per invocation from their own queue, scanning profiles and nothing more', () => {
    const [fanOut] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, f]) =>
      String(f.Properties.Description).startsWith('Retain broadcast fan-out'),
    );
    expect(fanOut).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fanOut[0] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 16 },
    });
    const role = fanOut[1].Properties.Role['Fn::GetAtt'][0];
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role),
    );
    const actions = policies.flatMap((p) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()),
    );
    expect(actions).toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions).not.toContain('ses:SendRawEmail');
  });

  it('takes uploaded import files in a private bucket that notifies a queue, deletes them in a week, and admits the console’s PUT', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
    const byDescription = (start: string) =>
      functions.find(([, f]) => String(f.Properties.Description).startsWith(start))!;
    const [bucketId] = Object.entries(template.findResources('AWS::S3::Bucket')).find(
      ([, b]) => b.Properties.NotificationConfiguration !== undefined,
    )!;
    const bucket = template.findResources('AWS::S3::Bucket')[bucketId].Properties;
    expect(bucket.NotificationConfiguration.QueueConfigurations).toEqual([
      expect.objectContaining({
        Event: 's3:ObjectCreated:*',
        Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'imports/' }] } },
      }),
    ]);
    expect(bucket.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ ExpirationInDays: 7, Status: 'Enabled' }),
    ]);
    expect(bucket.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.CorsConfiguration.CorsRules).toEqual([expect.objectContaining({ AllowedMethods: ['PUT'] })]);
    expect(bucket.LoggingConfiguration).toBeDefined();

    const reader = byDescription('Retain import-file');
    const applier = byDescription('Retain import-chunks');
    expect(reader[1].Properties).toMatchObject({ Timeout: 900, MemorySize: 1024 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: applier[0] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    const actionsOf = (fn: (typeof functions)[number]) => {
      const role = fn[1].Properties.Role['Fn::GetAtt'][0];
      return Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap((p) =>
          p.Properties.PolicyDocument.Statement.flatMap((st: { Action: string | string[] }) => [st.Action].flat()),
        );
    };
    expect(actionsOf(reader)).toEqual(expect.arrayContaining(['s3:GetObject', 's3:DeleteObject', 'sqs:SendMessage']));
    expect(actionsOf(reader)).not.toContain('s3:PutObject');
    expect(actionsOf(applier)).not.toContain('dynamodb:DeleteItem');
    expect(actionsOf(byDescription('Retain admin API'))).toContain('s3:PutObject');
  });

  it('archives events to S3 as day-partitioned Parquet through Firehose, queried by an enforced Athena workgroup', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'athena-results/', ExpirationInDays: 30 })]),
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'archive/' }),
    });
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: 'events/dt=!{partitionKeyFromQuery:dt}/',
        DynamicPartitioningConfiguration: Match.objectLike({ Enabled: true }),
        DataFormatConversionConfiguration: Match.objectLike({
          Enabled: true,
          OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
          SchemaConfiguration: Match.objectLike({ DatabaseName: 'retain_analytics', TableName: 'events' }),
        }),
      }),
    });
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'events',
        PartitionKeys: [{ Name: 'dt', Type: 'string' }],
        Parameters: Match.objectLike({ 'projection.enabled': 'true', 'projection.dt.type': 'date' }),
        StorageDescriptor: Match.objectLike({
          Columns: Match.arrayWith([
            { Name: 'properties', Type: 'string' },
            { Name: 'revenue', Type: 'double' },
          ]),
        }),
      }),
    });
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'retain',
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: Match.objectLike({ EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } }),
      }),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 17 * * ? *)',
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue() })],
    });
    const [archive] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, f]) =>
      String(f.Properties.Description).startsWith('Retain archive-events'),
    );
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: archive[0] },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      BisectBatchOnFunctionError: true,
    });
  });
});

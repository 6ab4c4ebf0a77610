// Analytics in AWS: the Events stream's second consumer archives every accepted event through Amazon Data
// Firehose into S3 as day-partitioned Parquet (converted against a Glue table with partition projection,
// so no crawler runs), and reports run on Athena in a workgroup that enforces an encrypted result location
// and a bytes-scanned limit.

import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, LogStream, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { ARCHIVE_COLUMNS } from '../functions/core/analytics/archiveRecord.js';
import { ERASED_FOLDER, ERASED_TABLE, ERASURE_STAGING } from '../functions/core/analytics/dialect.js';
import { handlerEntries } from './bundling.js';
import { RetainFunction } from './RetainFunction.js';
import type { Tables } from './Tables.js';
import type { Journeys } from './Journeys.js';
import { ENV } from '../functions/environment.js';

/** `journeys`: the channel queues the daily job's consent re-confirmations go to. */
export type AnalyticsProps = { tables: Tables; journeys?: Journeys; bytesScannedCutoffGb?: number };

export class Analytics extends Construct {
  readonly bucket: Bucket;
  readonly archiveEvents: RetainFunction;
  readonly failures: Queue;
  readonly databaseName = 'retain_analytics';
  readonly workGroupName: string;
  readonly dailyRefresh: RetainFunction;
  readonly refreshDeadLetters: Queue;
  readonly archiveErasure: RetainFunction;
  readonly erasureDeadLetters: Queue;

  constructor(scope: Construct, id: string, props: AnalyticsProps) {
    super(scope, id);
    const _stack = Stack.of(this);
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "This bucket receives the archive bucket's access logs; logging it would recurse.",
    });
    this.bucket = new Bucket(this, 'Archive', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'archive/',
      lifecycleRules: [
        // Events are read most in their first months; after that they are kept cheaper, not deleted.
        {
          prefix: 'events/',
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) }],
        },
        { prefix: 'athena-results/', expiration: Duration.days(30) },
        { prefix: 'errors/', expiration: Duration.days(30) },
        // Staged rewrites and their plans outlive a month of failed nightly runs, then go.
        { prefix: `${ERASURE_STAGING}/`, expiration: Duration.days(30) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const database = new CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: this.databaseName, description: 'Retain event archive' },
    });
    const table = new CfnTable(this, 'EventsTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.databaseName,
      tableInput: {
        name: 'events',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: 'dt', type: 'string' }],
        parameters: {
          classification: 'parquet',
          // Partition projection: Athena computes the day partitions, nothing has to register them.
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': '2020-01-01,NOW',
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'storage.location.template': `s3://${this.bucket.bucketName}/events/dt=\${dt}/`,
        },
        storageDescriptor: {
          location: `s3://${this.bucket.bucketName}/events/`,
          columns: Object.entries(ARCHIVE_COLUMNS).map(([name, type]) => ({ name, type })),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
    table.node.addDependency(database);
    // The erased-customer list (one NDJSON object of hashed keys per erasure): every report anti-joins it.
    const erased = new CfnTable(this, 'ErasedCustomersTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.databaseName,
      tableInput: {
        name: ERASED_TABLE,
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'json' },
        storageDescriptor: {
          location: `s3://${this.bucket.bucketName}/${ERASED_FOLDER}/`,
          columns: [{ name: 'hash', type: 'string' }],
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
        },
      },
    });
    erased.node.addDependency(database);

    const logs = new LogGroup(this, 'FirehoseLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logStream = new LogStream(this, 'FirehoseLogStream', { logGroup: logs });
    const firehoseRole = new Role(this, 'FirehoseRole', { assumedBy: new ServicePrincipal('firehose.amazonaws.com') });
    // Exact actions (no grantWrite: its Delete*/Abort* wildcards are more than Firehose needs).
    firehoseRole.addToPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.bucket.arnForObjects('events/*'), this.bucket.arnForObjects('errors/*')],
      }),
    );
    firehoseRole.addToPolicy(
      new PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [this.bucket.bucketArn],
      }),
    );
    firehoseRole.addToPolicy(
      new PolicyStatement({
        actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        resources: this.catalogArns(),
      }),
    );
    logs.grantWrite(firehoseRole);
    Validations.of(firehoseRole).acknowledge(
      ...['events/*', 'errors/*'].map((prefix) => ({
        id: this.objectsFinding(prefix),
        reason: 'Firehose writes one object per buffer under these prefixes; the keys are only known at delivery.',
      })),
    );
    const stream = new CfnDeliveryStream(this, 'ArchiveStream', {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: this.bucket.bucketArn,
        roleArn: firehoseRole.roleArn,
        // Partitioned by the event's own day (dynamic partitioning on the record's `dt`), not by arrival.
        prefix: 'events/dt=!{partitionKeyFromQuery:dt}/',
        errorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/',
        bufferingHints: { intervalInSeconds: 300, sizeInMBs: 128 },
        compressionFormat: 'UNCOMPRESSED',
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: '{dt: .dt}' },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
          ],
        },
        dataFormatConversionConfiguration: {
          enabled: true,
          inputFormatConfiguration: { deserializer: { openXJsonSerDe: {} } },
          outputFormatConfiguration: { serializer: { parquetSerDe: { compression: 'SNAPPY' } } },
          schemaConfiguration: {
            databaseName: this.databaseName,
            tableName: 'events',
            roleArn: firehoseRole.roleArn,
            region: Aws.REGION,
            versionId: 'LATEST',
          },
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: logs.logGroupName,
          logStreamName: logStream.logStreamName,
        },
      },
    });
    stream.node.addDependency(firehoseRole);
    stream.node.addDependency(table);

    this.failures = new Queue(this, 'ArchiveFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the on-failure destination of the archive stream mapping.',
    });
    this.archiveEvents = new RetainFunction(this, 'ArchiveEvents', {
      entry: handlerEntries.archiveEvents,
      description: 'Retain archive-events: every accepted event to Firehose (S3 Parquet) for the SQL reports',
      timeout: Duration.seconds(60),
      environment: { ...props.tables.environment, [ENV.ARCHIVE_STREAM_NAME]: stream.ref },
    });
    this.archiveEvents.function.addToRolePolicy(
      new PolicyStatement({ actions: ['firehose:PutRecordBatch'], resources: [stream.attrArn] }),
    );
    this.archiveEvents.function.addEventSource(
      new DynamoEventSource(props.tables.byKey.events, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 500,
        maxBatchingWindow: Duration.seconds(5),
        filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(24),
        onFailure: new SqsDlq(this.failures),
      }),
    );
    Validations.of(this.archiveEvents).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The DynamoDB event source grants dynamodb:ListStreams, an account-level action that IAM only allows on "*"; the read actions are scoped to the Events stream ARN.',
    });

    this.workGroupName = 'retain';
    new CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'Retain reports',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        // A runaway report stops here instead of scanning the whole archive.
        bytesScannedCutoffPerQuery: (props.bytesScannedCutoffGb ?? 10) * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/athena-results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    // Every night at 02:00 in Korea: models, RFM thresholds and predictions onto profiles.
    this.dailyRefresh = new RetainFunction(this, 'DailyRefresh', {
      entry: handlerEntries.dailyRefresh,
      description:
        'Retain daily-refresh: CLV models and RFM on the archive (Athena), predictions and lifecycle onto profiles',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: { ...props.tables.environment, ...this.environment },
    });
    this.allowReports(this.dailyRefresh);
    this.dailyRefresh.allowTable(props.tables.byKey.profiles, ['GetItem', 'PutItem']);
    // Query on byKind: the recommendations read the whole catalog.
    this.dailyRefresh.allowTable(props.tables.byKey.config, ['GetItem', 'PutItem', 'Query'], ['byKind']);
    if (props.journeys) {
      // The consent re-confirmations: every profile read once a day, the ledger checked and appended to, and
      // the notices handed to the senders' queues.
      const queues = props.journeys.channelQueues;
      this.dailyRefresh.allowTable(props.tables.byKey.profiles, ['Scan']);
      this.dailyRefresh.allowTable(props.tables.byKey.state, ['GetItem', 'PutItem']);
      for (const { queue } of Object.values(queues)) queue.grantSendMessages(this.dailyRefresh.function);
      for (const [name, value] of Object.entries({
        [ENV.EMAIL_QUEUE_URL]: queues.email.queue.queueUrl,
        [ENV.PUSH_QUEUE_URL]: queues.push.queue.queueUrl,
        [ENV.SMS_QUEUE_URL]: queues.sms.queue.queueUrl,
        [ENV.KAKAO_QUEUE_URL]: queues.kakao.queue.queueUrl,
      }))
        this.dailyRefresh.function.addEnvironment(name, value);
    }
    this.refreshDeadLetters = new Queue(this, 'RefreshDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.refreshDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the nightly refresh rule.',
    });
    new Rule(this, 'Nightly', {
      description: 'Retain: the daily analytics refresh',
      schedule: Schedule.cron({ minute: '0', hour: '17' }),
      targets: [
        new LambdaFunction(this.dailyRefresh.function, { deadLetterQueue: this.refreshDeadLetters, retryAttempts: 2 }),
      ],
    });
    [this.archiveErasure, this.erasureDeadLetters] = this.addArchiveErasure(props.tables);
  }

  /**
   * Every night before the refresh: the archive rewrite that finishes pending erasures in S3. It alone may delete
   * archive objects, and only under events/ (the partitions it rewrites).
   */
  private addArchiveErasure(tables: Tables): [RetainFunction, Queue] {
    const job = new RetainFunction(this, 'ArchiveErasure', {
      entry: handlerEntries.archiveErasure,
      description: 'Retain archive-erasure: rewrites the archive partitions that hold erased customers (Athena UNLOAD)',
      timeout: Duration.minutes(15),
      environment: {
        ...tables.environment,
        ...this.environment,
        [ENV.ARCHIVE_BUCKET]: this.bucket.bucketName,
      },
    });
    this.allowReports(job);
    job.allowTable(tables.byKey.config, ['GetItem', 'PutItem', 'DeleteItem', 'Query']);
    job.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.bucket.arnForObjects(`${ERASURE_STAGING}/*`)],
      }),
    );
    job.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: [this.bucket.arnForObjects('events/*')],
      }),
    );
    Validations.of(job).acknowledge({
      id: this.objectsFinding(`${ERASURE_STAGING}/*`),
      reason:
        "Athena's UNLOAD writes each rewrite under a new key in the staging folder; the job keeps its plans there.",
    });
    const deadLetters = new Queue(this, 'ErasureDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the nightly archive-erasure rule.',
    });
    new Rule(this, 'NightlyErasure', {
      description: 'Retain: rewrite the archive partitions of pending erasures',
      // 01:00 in Korea, an hour before the refresh.
      schedule: Schedule.cron({ minute: '0', hour: '16' }),
      targets: [
        new LambdaFunction(job.function, {
          deadLetterQueue: deadLetters,
          retryAttempts: 2,
        }),
      ],
    });
    return [job, deadLetters];
  }

  /** What a function that runs reports is told. */
  get environment(): Record<string, string> {
    return { [ENV.ATHENA_WORKGROUP]: this.workGroupName, [ENV.ATHENA_DATABASE]: this.databaseName };
  }

  /** Running reports: the workgroup's queries, the catalog entries, reading the archive and writing results. */
  allowReports(fn: RetainFunction): void {
    const stack = Stack.of(this);
    fn.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroupName })],
      }),
    );
    fn.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: this.catalogArns(),
      }),
    );
    fn.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects('events/*'), this.bucket.arnForObjects(`${ERASED_FOLDER}/*`)],
      }),
    );
    fn.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.bucket.arnForObjects('athena-results/*')],
      }),
    );
    fn.function.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    Validations.of(fn).acknowledge(
      {
        id: this.objectsFinding('events/*'),
        reason:
          "Athena reads the archive's Parquet objects under events/ on the caller's behalf; their keys are made by Firehose.",
      },
      {
        id: this.objectsFinding('athena-results/*'),
        reason: "Athena writes each query's results under a new key in the workgroup's result location.",
      },
      {
        id: this.objectsFinding(`${ERASED_FOLDER}/*`),
        reason: 'Every report anti-joins the erased-customer list, one object per erasure named by its id.',
      },
    );
  }

  /** Erasure: adding a customer's hashed keys to the erased-customer list (write only, nothing else in the bucket). */
  allowErasureList(fn: RetainFunction): void {
    fn.function.addEnvironment(ENV.ARCHIVE_BUCKET, this.bucket.bucketName);
    fn.function.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${ERASED_FOLDER}/*`)] }),
    );
    Validations.of(fn).acknowledge({
      id: this.objectsFinding(`${ERASED_FOLDER}/*`),
      reason: 'An erasure writes one new object, named by its erasure id, under the erased-customer list.',
    });
  }

  /** The Glue catalog, the archive database, its `events` table and the erased-customer list. */
  private catalogArns(): string[] {
    const stack = Stack.of(this);
    return [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/events` }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${ERASED_TABLE}` }),
    ];
  }

  /** cdk-nag names an object-prefix finding by the bucket's logical id as it renders it. */
  private objectsFinding(prefix: string): string {
    const stack = Stack.of(this);
    const logicalId = stack.resolve(stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)) as string;
    return `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}]`;
  }
}

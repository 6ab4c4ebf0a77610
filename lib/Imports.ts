// Customer imports by upload: the bucket files are PUT to (through the admin API's presigned URLs), S3's
// notification queue, the import-file Lambda that reads and chunks a file, and the chunk queue and its Lambda.

import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, HttpMethods } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IMPORT_FILE_PREFIX } from '../functions/adapters/aws/S3ImportFiles.js';
import { ENV } from '../functions/environment.js';
import { handlerEntries } from './bundling.js';
import { queueWithDeadLetters } from './Journeys.js';
import { QUEUE_CONSUMER_TIMEOUTS, queueVisibilityFor, RetainFunction } from './RetainFunction.js';
import type { Tables } from './Tables.js';

export type ImportsProps = { tables: Tables; eventRetentionDays: number };

/** Profiles written at once by the chunk workers: a chunk is 500 conditional writes; ten keep an on-demand table warm. */
export const IMPORT_CHUNK_CONCURRENCY = 10;

export class Imports extends Construct {
  readonly bucket: Bucket;
  readonly importFile: RetainFunction;
  readonly importChunks: RetainFunction;
  readonly fileDeadLetters: Queue;
  readonly chunkDeadLetters: Queue;

  constructor(scope: Construct, id: string, props: ImportsProps) {
    super(scope, id);
    const { config, profiles, events } = props.tables.byKey;
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "This bucket receives the imports bucket's access logs; logging it would recurse.",
    });
    this.bucket = new Bucket(this, 'Files', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'imports/',
      // A file holds customers' addresses: the worker deletes it once read; what a failure leaves goes in a week.
      lifecycleRules: [{ expiration: Duration.days(7), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const files = queueWithDeadLetters(this, 'ImportFiles', queueVisibilityFor(QUEUE_CONSUMER_TIMEOUTS.importFile));
    this.fileDeadLetters = files.deadLetters;
    // S3 notifies the queue directly (CloudFormation's own NotificationConfiguration, not CDK's custom-resource
    // Lambda with its managed policy). The queue policy cannot name the bucket's ARN (the bucket's creation waits
    // for it): it admits S3 from this account only.
    files.queue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [files.queue.queueArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    const cfnBucket = this.bucket.node.defaultChild as CfnBucket;
    cfnBucket.notificationConfiguration = {
      queueConfigurations: [
        {
          event: 's3:ObjectCreated:*',
          queue: files.queue.queueArn,
          filter: { s3Key: { rules: [{ name: 'prefix', value: IMPORT_FILE_PREFIX }] } },
        },
      ],
    };
    const queuePolicy = files.queue.node.tryFindChild('Policy');
    if (queuePolicy) cfnBucket.node.addDependency(queuePolicy);
    const chunks = queueWithDeadLetters(this, 'ImportChunks', queueVisibilityFor(QUEUE_CONSUMER_TIMEOUTS.importChunks));
    this.chunkDeadLetters = chunks.deadLetters;

    this.importFile = new RetainFunction(this, 'ImportFileWorker', {
      entry: handlerEntries.importFile,
      description: 'Retain import-file: an uploaded CSV or Pinpoint export checked whole, then queued in chunks',
      timeout: QUEUE_CONSUMER_TIMEOUTS.importFile,
      memorySize: 1024,
      environment: {
        [ENV.CONFIG_TABLE]: config.tableName,
        [ENV.IMPORTS_BUCKET]: this.bucket.bucketName,
        [ENV.IMPORT_CHUNKS_QUEUE_URL]: chunks.queue.queueUrl,
      },
    });
    this.importFile.allowTable(config, ['GetItem', 'UpdateItem']);
    this.importFile.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:DeleteObject'],
        resources: [this.bucket.arnForObjects(`${IMPORT_FILE_PREFIX}*`)],
      }),
    );
    Validations.of(this.importFile).acknowledge({
      id: this.objectsFinding(`${IMPORT_FILE_PREFIX}*`),
      reason: 'The worker reads and deletes the file of the job S3 notified it of; job ids are only known then.',
    });
    chunks.queue.grantSendMessages(this.importFile.function);
    this.importFile.function.addEventSource(
      new SqsEventSource(files.queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );

    this.importChunks = new RetainFunction(this, 'ImportChunkWorker', {
      entry: handlerEntries.importChunks,
      description: 'Retain import-chunks: one chunk of an uploaded file applied to profiles, once',
      timeout: QUEUE_CONSUMER_TIMEOUTS.importChunks,
      memorySize: 1024,
      environment: {
        [ENV.CONFIG_TABLE]: config.tableName,
        [ENV.PROFILES_TABLE]: profiles.tableName,
        [ENV.EVENTS_TABLE]: events.tableName,
        [ENV.EVENT_RETENTION_DAYS]: String(props.eventRetentionDays),
      },
    });
    // As the admin API's chunk route: the job and its chunk reports, profiles read and written by key (a merge's
    // tombstones in the same transaction), and the identify events a job triggering journeys appends.
    this.importChunks.allowTable(config, ['GetItem', 'PutItem']);
    this.importChunks.allowTable(profiles, ['GetItem', 'BatchGetItem', 'PutItem']);
    this.importChunks.allowTable(events, ['BatchWriteItem']);
    this.importChunks.function.addEventSource(
      new SqsEventSource(chunks.queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: IMPORT_CHUNK_CONCURRENCY,
      }),
    );
  }

  /** The admin API signs upload URLs: its role must be allowed the PUT the URL stands for. */
  allowUploadUrls(fn: RetainFunction, consoleOrigin: string): void {
    fn.function.addEnvironment(ENV.IMPORTS_BUCKET, this.bucket.bucketName);
    fn.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${IMPORT_FILE_PREFIX}*`)],
      }),
    );
    Validations.of(fn).acknowledge({
      id: this.objectsFinding(`${IMPORT_FILE_PREFIX}*`),
      reason: 'Each upload URL names one new object, by its job id, under the imports prefix.',
    });
    // The console PUTs the file from the browser.
    this.bucket.addCorsRule({
      allowedMethods: [HttpMethods.PUT],
      allowedOrigins: [consoleOrigin],
      allowedHeaders: ['content-type'],
      maxAge: 3600,
    });
  }

  /** cdk-nag names an object-prefix finding by the bucket's logical id as it renders it. */
  private objectsFinding(prefix: string): string {
    const stack = Stack.of(this);
    const logicalId = stack.resolve(stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)) as string;
    return `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}]`;
  }
}

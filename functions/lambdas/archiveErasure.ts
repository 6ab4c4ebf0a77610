// Lambda entry of the nightly archive rewrite for erasures: its environment, its ports, its handler.

import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import * as ports from '../adapters/aws/awsPorts.js';
import { AthenaReportEngine } from '../adapters/aws/analytics/AthenaReportEngine.js';
import {
  ArchivePartitionRewriter,
  athenaRewriteSql,
  S3ArchiveObjects,
} from '../adapters/aws/analytics/ArchivePartitionRewriter.js';
import { parseEnvironment } from '../environment.js';
import { createArchiveErasureHandler } from '../handlers/archiveErasure.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.archiveErasure);
const aws = ports.awsContext();
const s3 = new S3Client({});
// An UNLOAD of a busy day takes longer than a report may: the job has the whole Lambda timeout.
const athena = new AthenaReportEngine(new AthenaClient({}), {
  workGroup: env.ATHENA_WORKGROUP,
  database: env.ATHENA_DATABASE,
  pollMs: 1000,
  timeoutMs: 12 * 60 * 1000,
});
export const handler = createArchiveErasureHandler({
  clock: aws.clock,
  erasures: ports.erasureLog(aws, env),
  erasedList: ports.erasedCustomerList(aws, env),
  archive: new ArchivePartitionRewriter(
    athena,
    athenaRewriteSql(env.ATHENA_DATABASE, env.ARCHIVE_BUCKET),
    new S3ArchiveObjects(s3, env.ARCHIVE_BUCKET),
  ),
});

// The handler of the nightly archive rewrite (an EventBridge schedule): finishes every pending erasure in the
// S3 event archive and records what it removed on each erasure's record.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { archiveErasureJob, type ArchiveErasureDeps } from '../core/profiles/archiveErasure.js';

export function createArchiveErasureHandler(deps: ArchiveErasureDeps) {
  const logger = new Logger({ serviceName: 'retain-archive-erasure' });
  const run = archiveErasureJob(deps);
  return middy()
    .use(injectLambdaContext(logger))
    .handler(async () => {
      const result = await run();
      // Counts and partition days only: the job's log names nobody.
      logger.info('archive rewritten for erasures', {
        job: result.job,
        erasures: result.erasures.length,
        partitions: result.partitions,
        removed: result.removed,
      });
      return result;
    });
}

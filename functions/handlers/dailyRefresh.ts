// The handler of the daily analytics refresh (an EventBridge schedule): models fitted on the archive,
// predictions, RFM and lifecycle written to profiles.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { runRefresh } from './analyticsRefresh.js';

export function createDailyRefreshHandler(adapters: Parameters<typeof runRefresh>[0]) {
  const logger = new Logger({ serviceName: 'retain-daily-refresh' });
  const refresh = runRefresh(adapters);
  return middy()
    .use(injectLambdaContext(logger))
    .handler(async () => {
      const { buyers, profilesUpdated, model } = await refresh();
      logger.info('analytics refreshed', { buyers, profilesUpdated, purchases: model?.purchases, spend: model?.spend });
      return { buyers, profilesUpdated };
    });
}

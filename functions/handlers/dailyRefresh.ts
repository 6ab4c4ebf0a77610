// The handler of the daily job (an EventBridge schedule): the two-yearly consent re-confirmations that fell due,
// then the analytics refresh (models fitted on the archive, predictions, RFM and lifecycle written to profiles).

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { sendRenewalNotices } from '../core/profiles/consentRenewal.js';
import type { Adapters } from '../adapters/Adapters.js';
import type { DeliveryQueue } from '../core/delivery/ports.js';
import { runRefresh } from './analyticsRefresh.js';

export type DailyRefreshPorts = Parameters<typeof runRefresh>[0] &
  Pick<Adapters, 'consentLedger'> & { deliveries: DeliveryQueue };

export function createDailyRefreshHandler(adapters: DailyRefreshPorts) {
  const logger = new Logger({ serviceName: 'retain-daily-refresh' });
  const refresh = runRefresh(adapters);
  return middy()
    .use(injectLambdaContext(logger))
    .handler(async () => {
      // First: a legal notice must not wait on an Athena failure; a retry finds it sent and goes on.
      const renewals = await sendRenewalNotices(adapters, adapters.clock.now());
      logger.info('consent renewals', { ...renewals });
      const { buyers, profilesUpdated, model } = await refresh();
      logger.info('analytics refreshed', { buyers, profilesUpdated, purchases: model?.purchases, spend: model?.spend });
      return { buyers, profilesUpdated, renewals };
    });
}

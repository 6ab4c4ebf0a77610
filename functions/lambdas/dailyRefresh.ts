// Lambda entry of the daily analytics refresh: its environment (parsed at cold start), its ports, its handler.

import * as ports from '../adapters/aws/awsPorts.js';
import { parseEnvironment } from '../environment.js';
import { createDailyRefreshHandler } from '../handlers/dailyRefresh.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.dailyRefresh);
const aws = ports.awsContext();
export const handler = createDailyRefreshHandler({
  clock: aws.clock,
  settings: ports.settingsStore(aws, env),
  reports: ports.reportEngine(aws, env),
  profiles: ports.profileStore(aws, env),
  analyticsModels: ports.analyticsModelStore(aws, env),
  catalog: ports.catalogStore(aws, env),
  consentLedger: ports.consentLedger(aws, env),
  deliveries: ports.deliveryQueue(aws, env),
});

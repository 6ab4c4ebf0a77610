// Lambda entry of the admin API: every port (the admin API touches them all), and the senders' for test sends.

import {
  awsContext,
  broadcastPages,
  deadLetterBacklog,
  deliveryDeferrer,
  deliveryQueue,
  erasedCustomerList,
  importFiles,
  reportEngine,
  stepScheduler,
  storedPorts,
} from '../adapters/aws/awsPorts.js';
import { loadSenderSecrets, senderProviders } from '../adapters/aws/senderProviders.js';
import { cryptoRandom } from '../adapters/system.js';
import { parseEnvironment } from '../environment.js';
import { createAdminHandler } from '../handlers/admin.js';
import { lambdaSchemas } from './schemas.js';
import { PowertoolsTelemetry } from '../adapters/aws/PowertoolsTelemetry.js';

const env = parseEnvironment(lambdaSchemas.admin);
const aws = awsContext();
const secrets = await loadSenderSecrets(env);
const ports = {
  ...storedPorts(aws, env),
  random: cryptoRandom,
  scheduler: stepScheduler(aws, env),
  deliveries: deliveryQueue(aws, env),
  deferrer: deliveryDeferrer(aws, env),
  broadcastPages: broadcastPages(aws, env),
  reports: reportEngine(aws, env),
  // The S3 archive's Parquet is not rewritten yet (see docs/api.md, Erasure); reports filter by this list.
  customerCopies: erasedCustomerList(aws, env),
  // Nothing here runs deliverMessage (test sends call the providers directly): nothing is ever recorded.
  telemetry: new PowertoolsTelemetry(),
  importFiles: importFiles(aws, env),
  deadLetters: deadLetterBacklog(aws, env),
};
// Test sends share the admin's stores (and so its settings cache, which a settings change refreshes).
export const handler = createAdminHandler(ports, {
  ...ports,
  ...senderProviders(aws, env, secrets),
  unsubscribe: { baseUrl: env.PUBLIC_API_URL.replace(/\/$/, ''), secret: secrets.unsubscribeSecret },
});

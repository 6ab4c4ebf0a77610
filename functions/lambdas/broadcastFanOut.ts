// Lambda entry of the broadcast fan-out: its environment (parsed at cold start), its ports, its handler.

import * as ports from '../adapters/aws/awsPorts.js';
import { parseEnvironment } from '../environment.js';
import { createBroadcastFanOutHandler } from '../handlers/broadcastFanOut.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.broadcastFanOut);
const aws = ports.awsContext();
export const handler = createBroadcastFanOutHandler({
  clock: aws.clock,
  broadcasts: ports.broadcastStore(aws, env),
  profiles: ports.profileStore(aws, env),
  segments: ports.segmentStore(aws, env),
  templates: ports.templateStore(aws, env),
  settings: ports.settingsStore(aws, env),
  deliveries: ports.deliveryQueue(aws, env),
  broadcastPages: ports.broadcastPages(aws, env),
});

// Lambda entry of the import-chunk worker: its environment (parsed at cold start), its ports, its handler.

import * as ports from '../adapters/aws/awsPorts.js';
import { cryptoRandom } from '../adapters/system.js';
import { parseEnvironment } from '../environment.js';
import { createImportChunksHandler } from '../handlers/importChunks.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.importChunks);
const aws = ports.awsContext();
export const handler = createImportChunksHandler({
  clock: aws.clock,
  random: cryptoRandom,
  imports: ports.importJobStore(aws, env),
  profiles: ports.profileStore(aws, env),
  events: ports.eventStore(aws, env),
});

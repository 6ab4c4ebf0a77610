// Lambda entry of ingest: its environment (parsed at cold start), its ports, its handler.

import { awsContext, credentialStore, eventStore, ingestErrorLog } from '../adapters/aws/awsPorts.js';
import { cryptoRandom } from '../adapters/system.js';
import { parseEnvironment } from '../environment.js';
import { createIngestHandler } from '../handlers/ingest.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.ingest);
const aws = awsContext();
export const handler = createIngestHandler({
  clock: aws.clock,
  random: cryptoRandom,
  credentials: credentialStore(aws, env),
  events: eventStore(aws, env),
  ingestErrors: ingestErrorLog(aws, env),
});

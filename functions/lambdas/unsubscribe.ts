// Lambda entry of the unsubscribe link: its environment (parsed at cold start), the signing key, its handler.

import { awsContext, eventStore, feedbackPorts } from '../adapters/aws/awsPorts.js';
import { readSecret } from '../adapters/aws/senderProviders.js';
import { parseEnvironment } from '../environment.js';
import { createUnsubscribeHandler } from '../handlers/unsubscribe.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.unsubscribe);
const aws = awsContext();
const unsubscribeSecret = await readSecret(env.UNSUBSCRIBE_SECRET_ARN);
export const handler = createUnsubscribeHandler(
  { ...feedbackPorts(aws, env), clock: aws.clock, events: eventStore(aws, env) },
  unsubscribeSecret,
);

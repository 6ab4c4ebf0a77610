// Lambda entry of ses-events: its environment (parsed at cold start), its ports, its handler.

import { awsContext, eventStore, feedbackPorts, suppressionList } from '../adapters/aws/awsPorts.js';
import { parseEnvironment } from '../environment.js';
import { createSesEventsHandler } from '../handlers/sesEvents.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.sesEvents);
const aws = awsContext();
export const handler = createSesEventsHandler({
  ...feedbackPorts(aws, env),
  clock: aws.clock,
  events: eventStore(aws, env),
  suppressions: suppressionList(aws, env),
});

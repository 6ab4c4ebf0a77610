// Lambda entry of process-events: its environment (parsed at cold start), its ports, its handler.

import {
  awsContext,
  catalogStore,
  consentLedger,
  couponStore,
  eventStore,
  feedbackPorts,
  journeyIndex,
  journeyPorts,
  settingsStore,
} from '../adapters/aws/awsPorts.js';
import { parseEnvironment } from '../environment.js';
import { createProcessEventsHandler } from '../handlers/processEvents.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.processEvents);
const aws = awsContext();
export const handler = createProcessEventsHandler({
  ...journeyPorts(aws, env),
  ...feedbackPorts(aws, env),
  clock: aws.clock,
  journeyIndex: journeyIndex(aws, env),
  settings: settingsStore(aws, env),
  coupons: couponStore(aws, env),
  catalog: catalogStore(aws, env),
  consentLedger: consentLedger(aws, env),
  events: eventStore(aws, env),
});

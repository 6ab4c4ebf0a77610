// Lambda entry of journey-step: its environment (parsed at cold start), its ports, its handler.

import { awsContext, journeyIndex, journeyPorts, settingsStore } from '../adapters/aws/awsPorts.js';
import { parseEnvironment } from '../environment.js';
import { createJourneyStepHandler } from '../handlers/journeyStep.js';
import { lambdaSchemas } from './schemas.js';
import { PowertoolsTelemetry } from '../adapters/aws/PowertoolsTelemetry.js';

const env = parseEnvironment(lambdaSchemas.journeyStep);
const aws = awsContext();
export const handler = createJourneyStepHandler({
  ...journeyPorts(aws, env),
  clock: aws.clock,
  journeyIndex: journeyIndex(aws, env),
  settings: settingsStore(aws, env),
  telemetry: new PowertoolsTelemetry(),
});

// Lambda entry of the four senders (e-mail, push, SMS, KakaoTalk): environment, secrets, ports, handler.

import { awsContext, deliveryPorts } from '../adapters/aws/awsPorts.js';
import { loadSenderSecrets, senderProviders } from '../adapters/aws/senderProviders.js';
import { parseEnvironment } from '../environment.js';
import { createSendHandler, sqsBackoff } from '../handlers/sendMessage.js';
import { lambdaSchemas } from './schemas.js';
import { PowertoolsTelemetry } from '../adapters/aws/PowertoolsTelemetry.js';

const env = parseEnvironment(lambdaSchemas.sendMessage);
const aws = awsContext();
const secrets = await loadSenderSecrets(env);
const deps = {
  ...deliveryPorts(aws, env),
  ...senderProviders(aws, env, secrets),
  telemetry: new PowertoolsTelemetry(),
  unsubscribe: { baseUrl: env.PUBLIC_API_URL.replace(/\/$/, ''), secret: secrets.unsubscribeSecret },
};
export const handler = createSendHandler({ clock: aws.clock, telemetry: deps.telemetry }, deps, sqsBackoff(aws.sqs()));

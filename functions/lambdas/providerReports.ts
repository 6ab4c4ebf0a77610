// Lambda entry of provider-reports: its environment (parsed at cold start), the webhook key, its handler.

import { awsContext, eventStore, feedbackPorts, suppressionList } from '../adapters/aws/awsPorts.js';
import { parseMessagingCredentials, readSecret } from '../adapters/aws/senderProviders.js';
import { parseEnvironment } from '../environment.js';
import { createProviderReportsHandler } from '../handlers/providerReports.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.providerReports);
const aws = awsContext();
const messaging = parseMessagingCredentials(await readSecret(env.MESSAGING_CREDENTIALS_SECRET_ARN));
export const handler = createProviderReportsHandler(
  {
    ...feedbackPorts(aws, env),
    clock: aws.clock,
    events: eventStore(aws, env),
    suppressions: suppressionList(aws, env),
  },
  messaging.webhook?.secret,
);

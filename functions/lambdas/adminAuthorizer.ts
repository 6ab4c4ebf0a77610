// Lambda entry of the admin API's authorizer: its environment (parsed at cold start), its ports, its handler.

import { awsContext, credentialStore } from '../adapters/aws/awsPorts.js';
import { parseEnvironment } from '../environment.js';
import { createAdminAuthorizer } from '../handlers/adminAuthorizer.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.adminAuthorizer);
const aws = awsContext();
export const handler = createAdminAuthorizer({ clock: aws.clock, credentials: credentialStore(aws, env) });

// Lambda entry of the admin API's authorizer: its environment (parsed at cold start), its ports, its handler.

import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { awsContext, credentialStore } from '../adapters/aws/awsPorts.js';
import { parseEnvironment } from '../environment.js';
import { createAdminAuthorizer, type PersonClaims } from '../handlers/adminAuthorizer.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.adminAuthorizer);
const aws = awsContext();
// Access tokens of the console's app client only; the verifier fetches and caches the pool's JWKS.
const people =
  env.TEAM_USER_POOL_ID && env.TEAM_CLIENT_ID
    ? CognitoJwtVerifier.create({ userPoolId: env.TEAM_USER_POOL_ID, tokenUse: 'access', clientId: env.TEAM_CLIENT_ID })
    : undefined;
export const handler = createAdminAuthorizer(
  { clock: aws.clock, credentials: credentialStore(aws, env) },
  people && { verify: async (token) => (await people.verify(token)) as PersonClaims },
);

// The handler of the admin API's authorizer: a Bearer admin token, compared by its hash, refused once expired;
// what it lets through carries the caller's role for the dispatcher to check against the route's permission.

import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import type { Adapters } from '../adapters/Adapters.js';
import { isExpired } from '../core/credentials/credential.js';
import { ROLE_OF_A_TOKEN_WITHOUT_ONE, type Role } from '../core/team/roles.js';
import { CredentialCache } from './middleware/writeKeyAuth.js';

/** API Gateway hands a simple authorizer's context to the Lambda as is (strings, numbers and booleans only). */
export type AdminAuthorizerContext = {
  actorKind: 'token' | 'person';
  credentialId: string;
  credentialName: string;
  role: Role;
  approver: boolean;
};

export function createAdminAuthorizer(adapters: Pick<Adapters, 'credentials' | 'clock'>) {
  const tokens = new CredentialCache(adapters.credentials, adapters.clock);
  return async (
    event: APIGatewayRequestAuthorizerEventV2,
  ): Promise<APIGatewaySimpleAuthorizerWithContextResult<AdminAuthorizerContext | Record<string, never>>> => {
    const header = event.headers?.authorization ?? event.identitySource?.[0] ?? '';
    const token = /^bearer\s+(.+)$/i.exec(header.trim())?.[1];
    const credential = token ? await tokens.find(token, 'admin-token') : undefined;
    if (!credential || isExpired(credential, adapters.clock.now())) return { isAuthorized: false, context: {} };
    return {
      isAuthorized: true,
      context: {
        actorKind: 'token',
        credentialId: credential.id,
        credentialName: credential.name,
        role: credential.role ?? ROLE_OF_A_TOKEN_WITHOUT_ONE,
        approver: credential.approver === true,
      },
    };
  };
}

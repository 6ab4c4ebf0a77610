// The handler of the admin API's authorizer: a Bearer admin token, compared by its hash.

import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import type { Adapters } from '../adapters/Adapters.js';
import { CredentialCache } from './middleware/writeKeyAuth.js';

export type AdminAuthorizerContext = { credentialId: string; credentialName: string };

export function createAdminAuthorizer(adapters: Pick<Adapters, 'credentials' | 'clock'>) {
  const tokens = new CredentialCache(adapters.credentials, adapters.clock);
  return async (
    event: APIGatewayRequestAuthorizerEventV2,
  ): Promise<APIGatewaySimpleAuthorizerWithContextResult<AdminAuthorizerContext | Record<string, never>>> => {
    const header = event.headers?.authorization ?? event.identitySource?.[0] ?? '';
    const token = /^bearer\s+(.+)$/i.exec(header.trim())?.[1];
    const credential = token ? await tokens.find(token, 'admin-token') : undefined;
    return credential
      ? { isAuthorized: true, context: { credentialId: credential.id, credentialName: credential.name } }
      : { isAuthorized: false, context: {} };
  };
}

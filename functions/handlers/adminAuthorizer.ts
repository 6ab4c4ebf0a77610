// The handler of the admin API's authorizer: a Bearer admin token, compared by its hash, refused once expired, or
// a person's Cognito access token, verified; what it lets through carries the caller's role for the dispatcher
// to check against the route's permission.

import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import type { Adapters } from '../adapters/Adapters.js';
import { isExpired } from '../core/credentials/credential.js';
import { ROLE_OF_A_TOKEN_WITHOUT_ONE, roleOfGroups, type Role } from '../core/team/roles.js';
import { CredentialCache } from './middleware/writeKeyAuth.js';

/** API Gateway hands a simple authorizer's context to the Lambda as is (strings, numbers and booleans only). */
export type AdminAuthorizerContext = {
  actorKind: 'token' | 'person';
  credentialId: string;
  credentialName: string;
  role: Role;
  approver: boolean;
};

/** The claims of a verified Cognito access token the authorizer reads. */
export type PersonClaims = { sub: string; username?: unknown; 'cognito:groups'?: unknown };

/** Verifies a person's token (aws-jwt-verify's CognitoJwtVerifier in AWS): the claims, or it throws. */
export type PersonVerifier = { verify(token: string): Promise<PersonClaims> };

/** A JWT is three base64url parts; admin tokens (`rat_…`) never contain a dot. */
const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<AdminAuthorizerContext | Record<string, never>>;
const REFUSED: AuthorizerResult = { isAuthorized: false, context: {} };

/** `people`: absent where no user pool is configured (locally), and then only API tokens sign in. */
export function createAdminAuthorizer(adapters: Pick<Adapters, 'credentials' | 'clock'>, people?: PersonVerifier) {
  const tokens = new CredentialCache(adapters.credentials, adapters.clock);
  const person = async (token: string): Promise<AuthorizerResult> => {
    if (!people) return REFUSED;
    // Signature, issuer, expiry, token use and client are the verifier's; a bad token is simply refused.
    const claims = await people.verify(token).catch(() => undefined);
    const groups = Array.isArray(claims?.['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
    const granted = roleOfGroups(groups);
    if (!claims || !granted) return REFUSED;
    return {
      isAuthorized: true,
      context: {
        actorKind: 'person',
        credentialId: claims.sub,
        credentialName: typeof claims.username === 'string' ? claims.username : claims.sub,
        role: granted.role,
        approver: granted.approver,
      },
    };
  };
  return async (event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> => {
    const header = event.headers?.authorization ?? event.identitySource?.[0] ?? '';
    const token = /^bearer\s+(.+)$/i.exec(header.trim())?.[1];
    if (token && looksLikeJwt(token)) return person(token);
    const credential = token ? await tokens.find(token, 'admin-token') : undefined;
    if (!credential || isExpired(credential, adapters.clock.now())) return REFUSED;
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

// Who is calling the admin API: the actor the authorizer let through, read from the request's context.

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UnauthorizedError } from '../../core/errors.js';
import { isRole, type Actor } from '../../core/team/roles.js';
import type { AdminAuthorizerContext } from '../adminAuthorizer.js';

/**
 * API Gateway puts a simple authorizer's context under `lambda`. A request without a role never passed the
 * authorizer (a misconfigured route), so it is refused rather than given any power.
 */
export function actorOf(event: APIGatewayProxyEventV2): Actor {
  const authorizer = (event.requestContext as { authorizer?: { lambda?: Partial<AdminAuthorizerContext> } }).authorizer
    ?.lambda;
  if (!authorizer?.credentialId || !isRole(authorizer.role)) {
    throw new UnauthorizedError('the request carries no authorised caller');
  }
  return {
    kind: authorizer.actorKind === 'person' ? 'person' : 'token',
    id: authorizer.credentialId,
    name: authorizer.credentialName ?? authorizer.credentialId,
    role: authorizer.role,
    // A simple authorizer's boolean may arrive as the string 'true' through some integrations.
    approver: authorizer.approver === true || (authorizer.approver as unknown) === 'true',
  };
}

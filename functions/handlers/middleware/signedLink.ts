// Lets through only a request carrying a valid signed unsubscribe token (`?token=`); anything else gets the
// answer the caller gives, before the handler runs.

import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { verifyUnsubscribeToken, type UnsubscribeClaim } from '../../core/delivery/unsubscribeLink.js';

export type SignedLinkEvent = APIGatewayProxyEventV2 & { claim: UnsubscribeClaim; token: string };

export function signedLink(
  secret: string,
  invalid: () => APIGatewayProxyStructuredResultV2,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    before: async (request) => {
      const token = request.event.queryStringParameters?.token ?? '';
      const claim = verifyUnsubscribeToken(token, secret);
      // Returning from `before` answers the request: the handler never sees an unsigned link.
      if (!claim) return invalid();
      Object.assign(request.event, { claim, token });
    },
  };
}

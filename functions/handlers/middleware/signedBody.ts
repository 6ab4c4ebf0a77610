// Refuses a request whose body is not signed with the shared webhook secret: `x-retain-signature` is the
// HMAC of `<x-retain-timestamp>.<body>`, and the timestamp must be within five minutes of now.

import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { webhookSignature } from '../../adapters/aws/messaging/WebhookMessagingProvider.js';
import { UnauthorizedError } from '../../core/errors.js';
import type { Clock } from '../../core/system/ports.js';

/** A request older (or newer) than this is refused: a captured request cannot be replayed later. */
export const MAX_SKEW_SECONDS = 300;

export type SignedBodyEvent = APIGatewayProxyEventV2 & { signedBody: string };

export function signedBody(secret: string | undefined, clock: Clock): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async (request) => {
      if (!secret) throw new UnauthorizedError('no webhook secret is configured, so no report can be verified');
      const event = request.event;
      const body = event.body
        ? event.isBase64Encoded
          ? Buffer.from(event.body, 'base64').toString('utf8')
          : event.body
        : '';
      const timestamp = event.headers['x-retain-timestamp'] ?? '';
      const signature = event.headers['x-retain-signature'] ?? '';
      const skew = Math.abs(clock.now().getTime() / 1000 - Number(timestamp));
      if (!/^\d{9,11}$/.test(timestamp) || skew > MAX_SKEW_SECONDS) {
        throw new UnauthorizedError('x-retain-timestamp is missing or more than five minutes off');
      }
      const expected = Buffer.from(webhookSignature(secret, timestamp, body));
      const given = Buffer.from(signature);
      // timingSafeEqual: comparing byte by byte would tell an attacker how much of a guess was right.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new UnauthorizedError('x-retain-signature does not match the body');
      }
      (event as SignedBodyEvent).signedBody = body;
    },
  };
}

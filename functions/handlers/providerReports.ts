// Lambda entry point of the messaging provider's callbacks: delivery reports and 080 opt-outs for text and
// KakaoTalk messages, signed like the webhook channel's own requests, onto the message log and timeline.

import { createHash, timingSafeEqual } from 'node:crypto';
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { parseMessageRef } from '../core/delivery/messageRef.js';
import { systemEvent } from '../core/events/systemEvent.js';
import { recordFeedback } from '../core/metrics/recordFeedback.js';
import type { Adapters } from '../adapters/Adapters.js';
import { webhookSignature } from '../adapters/aws/messaging/WebhookMessagingProvider.js';
import { InvalidRequestError, UnauthorizedError } from '../core/errors.js';
import { httpErrorResponses, jsonResponse } from './middleware/httpErrorResponses.js';
import { parse } from './admin/parse.js';

/** A report older (or newer) than this is refused: a captured request cannot be replayed later. */
const MAX_SKEW_SECONDS = 300;

export const providerReportsSchema = z
  .object({
    reports: z
      .array(
        z
          .object({
            /** The `messageRef` Retain sent the message with. */
            messageRef: z.string().min(1).max(2000),
            status: z.enum(['delivered', 'failed', 'opted-out']),
            /** The provider's or carrier's result code. */
            code: z.string().max(50).optional(),
            at: z.iso.datetime({ offset: true }).optional(),
            /** For an opt-out: the number that called the 080 line. */
            phone: z.string().regex(/^[0-9+-]{8,20}$/).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();

export function createProviderReportsHandler(
  adapters: Pick<Adapters, 'clock' | 'messages' | 'metrics' | 'suppressions' | 'events'>,
  webhookSecret: string | undefined,
) {
  const logger = new Logger({ serviceName: 'retain-provider-reports' });
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger))
    .use(httpErrorResponses(logger))
    .handler(async (event) => {
      if (!webhookSecret) throw new UnauthorizedError('no webhook secret is configured, so no report can be verified');
      const body = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
      const timestamp = event.headers['x-retain-timestamp'] ?? '';
      const signature = event.headers['x-retain-signature'] ?? '';
      const now = adapters.clock.now();
      if (!/^\d{9,11}$/.test(timestamp) || Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
        throw new UnauthorizedError('x-retain-timestamp is missing or more than five minutes off');
      }
      const expected = Buffer.from(webhookSignature(webhookSecret, timestamp, body));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnauthorizedError('x-retain-signature does not match the body');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new InvalidRequestError('the body is not JSON', 'body');
      }
      const { reports } = parse(providerReportsSchema, json, 'body');
      const results: { index: number; result: string }[] = [];
      for (const [index, report] of reports.entries()) {
        const ref = parseMessageRef(report.messageRef);
        if (!ref) {
          results.push({ index, result: 'unknown messageRef' });
          continue;
        }
        const at = report.at ? new Date(report.at).toISOString() : now.toISOString();
        if (report.status === 'delivered' || report.status === 'failed') {
          // A carrier's definite failure after acceptance is the text-message bounce.
          const entry = await recordFeedback(adapters, ref.userKey, ref.idempotencyKey, report.status === 'delivered' ? 'delivered' : 'bounced', at);
          results.push({ index, result: entry ? 'recorded' : 'already recorded' });
          continue;
        }
        // An 080 opt-out: the number gets no more advertising, and the customer's consent for the channel goes.
        const message = await adapters.messages.get(ref.userKey, ref.idempotencyKey);
        const channel = message?.deliveredVia ?? message?.channel ?? 'sms';
        if (report.phone) await adapters.suppressions.suppress(report.phone, 'opt-out (080)', at);
        if (message) await recordFeedback(adapters, ref.userKey, ref.idempotencyKey, 'unsubscribed', at);
        await adapters.events.append([
          systemEvent({
            userKey: ref.userKey,
            messageId: `optout-${createHash('sha256').update(`${report.messageRef}\u0000${report.phone ?? ''}`).digest('base64url').slice(0, 32)}`,
            event: 'Unsubscribed',
            properties: { channel, messageId: ref.idempotencyKey, method: '080', ...(report.code ? { code: report.code } : {}) },
            context: { consent: { categoryPreferences: { [channel]: false } } },
            timestamp: at,
            receivedAt: now.toISOString(),
            source: 'provider-reports',
          }),
        ]);
        results.push({ index, result: 'unsubscribed' });
      }
      logger.info('provider reports', { count: reports.length });
      return jsonResponse(200, { success: true, results });
    });
}

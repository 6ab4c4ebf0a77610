// The handler of the messaging provider's callbacks: delivery reports and 080 opt-outs for text and
// KakaoTalk messages, signed like the webhook channel's own requests, onto the message log and timeline.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { applyProviderReport } from '../core/feedback/textFeedback.js';
import type { Adapters } from '../adapters/Adapters.js';
import { InvalidRequestError } from '../core/errors.js';
import { httpErrorResponses, jsonResponse } from './middleware/httpErrorResponses.js';
import { signedBody, type SignedBodyEvent } from './middleware/signedBody.js';
import { parse } from './admin/parse.js';

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
            phone: z
              .string()
              .regex(/^[0-9+-]{8,20}$/)
              .optional(),
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
    .use(signedBody(webhookSecret, adapters.clock))
    .handler(async (event) => {
      let json: unknown;
      try {
        json = JSON.parse((event as SignedBodyEvent).signedBody);
      } catch {
        throw new InvalidRequestError('the body is not JSON', 'body');
      }
      const { reports } = parse(providerReportsSchema, json, 'body');
      const now = adapters.clock.now();
      const results: { index: number; result: string }[] = [];
      // In order: an opt-out after a delivery report of the same message must see that report recorded.
      for (const [index, report] of reports.entries())
        results.push({ index, result: await applyProviderReport(report, adapters, now) });
      logger.info('provider reports', { count: reports.length });
      return jsonResponse(200, { success: true, results });
    });
}

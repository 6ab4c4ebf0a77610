// The handler of the messaging provider's callbacks: delivery reports and 080 opt-outs for text and
// KakaoTalk messages, signed like the webhook channel's own requests, onto the message log and timeline.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { applyProviderReport } from '../core/feedback/textFeedback.js';
import type { Adapters } from '../adapters/Adapters.js';
import { InvalidRequestError } from '../core/errors.js';
import { httpErrorResponses, jsonResponse } from './middleware/httpErrorResponses.js';
import { signedBody, type SignedBodyEvent } from './middleware/signedBody.js';
import { parse } from './admin/parse.js';
import { providerReportsSchema } from '../routes/public.js';

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

// The handler of the public unsubscribe link (RFC 8058 one-click): withdraws the consent by
// recording an `Unsubscribed` event, which the pipeline applies to the profile and the journeys.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { unsubscribeByLink } from '../core/feedback/oneClickUnsubscribe.js';
import type { Adapters } from '../adapters/Adapters.js';
import { httpErrorResponses } from './middleware/httpErrorResponses.js';
import { signedLink, type SignedLinkEvent } from './middleware/signedLink.js';

const page = (status: number, title: string, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body: `<!doctype html><html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">${body}</body></html>`,
});

export function createUnsubscribeHandler(
  adapters: Pick<Adapters, 'clock' | 'events' | 'messages' | 'metrics'>,
  secret: string,
) {
  const logger = new Logger({ serviceName: 'retain-unsubscribe' });
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger))
    .use(httpErrorResponses(logger))
    .use(
      signedLink(secret, () =>
        page(400, '링크 오류', '<p>이 수신거부 링크는 올바르지 않습니다. This unsubscribe link is not valid.</p>'),
      ),
    )
    .handler(async (rawEvent) => {
      const event = rawEvent as SignedLinkEvent;
      if (event.requestContext.http.method === 'GET') {
        // Mail scanners follow links: a GET only asks, the POST (the button, or the one-click header) acts.
        return page(
          200,
          '수신거부',
          `<p>광고성 정보 수신을 거부하시겠습니까? Stop receiving these messages?</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">수신거부 / Unsubscribe</button></form>`,
        );
      }
      await unsubscribeByLink(event.claim, event.token, adapters, adapters.clock.now());
      logger.info('unsubscribed', { channel: event.claim.channel });
      return page(200, '수신거부 완료', '<p>수신거부가 처리되었습니다. You are unsubscribed.</p>');
    });
}

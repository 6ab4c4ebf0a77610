// The handler of the public ingest API (`POST /v1/{track,identify,page,screen,group,alias,batch}`).

import middy from '@middy/core';
import { traced } from './middleware/tracing.js';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ingestEndpointOf } from '../core/events/endpoints.js';
import { ingestMessages } from '../core/events/ingestMessages.js';
import { MAX_BATCH_BYTES } from '../core/events/limits.js';
import type { Adapters } from '../adapters/Adapters.js';
import { errorResponse, HTTP_STATUS, httpErrorResponses, jsonResponse } from './middleware/httpErrorResponses.js';
import { jsonBody } from './middleware/jsonBody.js';
import { CredentialCache, writeKeyAuth, type AuthenticatedEvent } from './middleware/writeKeyAuth.js';
import { createSdkSettingsHandler } from './sdkSettings.js';

export function createIngestHandler(
  adapters: Pick<Adapters, 'credentials' | 'clock' | 'events' | 'ingestErrors' | 'random'>,
) {
  const logger = new Logger({ serviceName: 'retain-ingest' });
  const writeKeys = new CredentialCache(adapters.credentials, adapters.clock);
  const ingest = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(traced())
    .use(injectLambdaContext(logger))
    .use(httpErrorResponses(logger))
    .use(jsonBody({ maxBytes: MAX_BATCH_BYTES }))
    .use(writeKeyAuth(writeKeys))
    .handler(async (rawEvent) => {
      const event = rawEvent as AuthenticatedEvent;
      const outcome = await ingestMessages(
        {
          // The route key, not rawPath: behind a custom domain the path carries its base-path mapping.
          endpoint: ingestEndpointOf(event.routeKey.slice('POST /v1/'.length)),
          body: event.jsonBody,
          bodyBytes: event.bodyBytes,
          writeKeyId: event.credential.id,
          sourceIp: event.requestContext.http.sourceIp,
        },
        {
          events: adapters.events,
          ingestErrors: adapters.ingestErrors,
          now: adapters.clock.now(),
          newMessageId: adapters.random.id,
        },
      );
      if (outcome.errorLogFailed) logger.warn('could not write the ingest-error log');
      if (outcome.kind === 'refused')
        return errorResponse(HTTP_STATUS[outcome.code], outcome.code, outcome.error, outcome.field);
      if (outcome.rejected.length > 0) logger.info('rejected messages', { rejected: outcome.rejected.length });
      return jsonResponse(200, { success: true, rejected: outcome.rejected });
    });
  // The SDKs' settings document shares this Lambda: the same write keys, the same permissions.
  const settings = createSdkSettingsHandler({ writeKeys, logger });
  return (event: APIGatewayProxyEventV2, context: Context) =>
    (event.routeKey.startsWith('GET ') ? settings : ingest)(event, context);
}

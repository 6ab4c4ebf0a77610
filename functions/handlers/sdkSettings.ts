// `GET /v1/projects/{writeKey}/settings`: the settings document Segment's browser and mobile SDKs load at start.

import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { sdkEndpointOf, sdkSettingsOf } from '../core/events/sdkSettings.js';
import { errorResponse, httpErrorResponses, jsonResponse } from './middleware/httpErrorResponses.js';
import { headerOf } from './middleware/jsonBody.js';
import type { CredentialCache } from './middleware/writeKeyAuth.js';

/**
 * Every page view asks for this document, so browsers and CDNs may keep it for five minutes; a key deleted
 * in the meantime is refused by the ingest calls anyway. Browsers fetch it from the shop's origin, hence
 * the open CORS answer; it holds nothing secret.
 */
const CACHEABLE = { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' };
const NOT_FOUND = { 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*' };

export function createSdkSettingsHandler(deps: { writeKeys: CredentialCache; logger: Logger }) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpErrorResponses(deps.logger))
    .handler(async (event) => {
      const writeKey = event.pathParameters?.writeKey ?? '';
      const credential = writeKey ? await deps.writeKeys.find(writeKey, 'write-key') : undefined;
      if (!credential) {
        const refused = errorResponse(404, 'not_found', 'no project has this write key');
        return { ...refused, headers: { ...refused.headers, ...NOT_FOUND } };
      }
      const endpoint = sdkEndpointOf({
        host: headerOf(event, 'host') ?? event.requestContext.domainName,
        path: event.rawPath,
        forwardedProto: headerOf(event, 'x-forwarded-proto'),
      });
      return jsonResponse(200, sdkSettingsOf(writeKey, endpoint), CACHEABLE);
    });
}

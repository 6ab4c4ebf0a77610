// Reads an API Gateway body as strict UTF-8 JSON, answering 413/415/400 instead of ever throwing a 500.

import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { InvalidRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../core/errors.js';

export type JsonBodyEvent = APIGatewayProxyEventV2 & { jsonBody: unknown; bodyBytes: number };

/** Browsers' analytics.js sends text/plain to avoid a CORS preflight, so it is JSON too. */
const JSON_MEDIA_TYPES = new Set(['application/json', 'text/plain']);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function jsonBody(options: { maxBytes: number; optional?: boolean }): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async (request) => {
      const event = request.event as JsonBodyEvent;
      const raw = event.body === undefined ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
      event.bodyBytes = raw.length;
      if (raw.length === 0) {
        if (options.optional) {
          event.jsonBody = undefined;
          return;
        }
        throw new InvalidRequestError('the request body is empty; send a JSON object');
      }
      if (raw.length > options.maxBytes) {
        throw new PayloadTooLargeError(`request body is ${raw.length} bytes; the limit is ${Math.round(options.maxBytes / 1024)} KB`);
      }
      const contentType = headerOf(event, 'content-type')?.split(';')[0].trim().toLowerCase();
      if (contentType && !JSON_MEDIA_TYPES.has(contentType)) {
        throw new UnsupportedMediaTypeError(`content-type ${contentType} is not accepted; send application/json`);
      }
      let text: string;
      try {
        text = strictUtf8.decode(raw);
      } catch {
        throw new InvalidRequestError('the request body is not valid UTF-8');
      }
      try {
        event.jsonBody = JSON.parse(text);
      } catch (error) {
        // Deeply nested input makes JSON.parse overflow the stack (RangeError): still the client's fault.
        const reason = error instanceof RangeError ? 'it is nested too deeply' : (error as Error).message;
        throw new InvalidRequestError(`the request body is not valid JSON: ${reason}`);
      }
    },
  };
}

export function headerOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  // API Gateway v2 lower-cases header names; the local server does too, but be lenient with hand-made events.
  return event.headers?.[name] ?? Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
}

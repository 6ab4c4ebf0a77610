// Reads an API Gateway body as strict UTF-8 JSON, answering 413/415/400 instead of ever throwing a 500.

import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
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
      const sent =
        event.body === undefined ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
      event.bodyBytes = sent.length;
      if (sent.length === 0) {
        if (options.optional) {
          event.jsonBody = undefined;
          return;
        }
        throw new InvalidRequestError('the request body is empty; send a JSON object');
      }
      tooLarge(sent.length, options.maxBytes);
      const contentType = headerOf(event, 'content-type')?.split(';')[0].trim().toLowerCase();
      if (contentType && !JSON_MEDIA_TYPES.has(contentType)) {
        throw new UnsupportedMediaTypeError(`content-type ${contentType} is not accepted; send application/json`);
      }
      const raw = await decoded(sent, headerOf(event, 'content-encoding'), options.maxBytes);
      event.bodyBytes = raw.length;
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

function tooLarge(bytes: number, maxBytes: number): void {
  if (bytes > maxBytes) {
    throw new PayloadTooLargeError(`request body is ${bytes} bytes; the limit is ${Math.round(maxBytes / 1024)} KB`);
  }
}

/**
 * Undoes `Content-Encoding` (Segment's API takes gzip; some server libraries send it). Inflated as a stream and
 * abandoned as soon as the inflated bytes pass the limit, so a gzip bomb costs one limit's worth of memory.
 */
async function decoded(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encoding = contentEncoding?.trim().toLowerCase() || 'identity';
  if (encoding === 'identity') return body;
  const inflater = inflaterFor(encoding, body);
  if (!inflater) {
    throw new UnsupportedMediaTypeError(`content-encoding ${encoding} is not accepted; send gzip, deflate, br or none`);
  }
  inflater.end(body);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      size += chunk.length;
      tooLarge(size, maxBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    inflater.destroy();
    if (error instanceof PayloadTooLargeError) {
      throw new PayloadTooLargeError(`the inflated request body passes ${Math.round(maxBytes / 1024)} KB, the limit`);
    }
    throw new InvalidRequestError(`the request body is not valid ${encoding}: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks, size);
}

function inflaterFor(encoding: string, body: Buffer): Transform | undefined {
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  // HTTP's `deflate` is zlib-wrapped (RFC 1950), yet some clients send raw deflate: the zlib header tells them apart.
  if (encoding === 'deflate') return hasZlibHeader(body) ? createInflate() : createInflateRaw();
  if (encoding === 'br') return createBrotliDecompress();
  return undefined;
}

function hasZlibHeader(body: Buffer): boolean {
  return body.length >= 2 && (body[0] & 0x0f) === 8 && ((body[0] << 8) | body[1]) % 31 === 0;
}

export function headerOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  // API Gateway v2 lower-cases header names; the local server does too, but be lenient with hand-made events.
  return event.headers?.[name] ?? Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
}

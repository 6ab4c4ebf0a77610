// The table's public routes: Segment-compatible ingest, the unsubscribe link, the messaging provider's callbacks.

import * as z from 'zod';
import { batchEnvelopeSchema, type MESSAGE_TYPES, segmentMessageSchema } from '../core/events/segmentMessage.js';
import { SHORT_ENDPOINTS } from '../core/events/endpoints.js';
import type { RouteContract } from './contract.js';

const accepted = z
  .object({
    success: z.literal(true),
    rejected: z
      .array(z.looseObject({ index: z.number(), messageId: z.string().optional(), error: z.string() }))
      .optional()
      .meta({ description: 'In a batch: the messages refused while the others were stored.' }),
  })
  .meta({ id: 'IngestAccepted' });
const message = segmentMessageSchema.meta({
  id: 'SegmentMessage',
  description: 'A Segment message; `writeKey` may travel in the body instead of the Authorization header.',
});

const batch = batchEnvelopeSchema.meta({ id: 'Batch' });

const ingest = (type: (typeof MESSAGE_TYPES)[number] | 'batch'): RouteContract => ({
  method: 'POST',
  path: `/v1/${type}`,
  target: 'ingest',
  auth: 'write-key',
  tag: 'ingest',
  summary: type === 'batch' ? 'Send a batch of events' : `Send a ${type} event`,
  description:
    type === 'batch'
      ? 'Up to 500 KB of messages of any type; each is checked alone, so one bad message does not refuse the rest.'
      : `The Segment ${type} call: stored once (a retry with the same messageId is a no-op).`,
  body: type === 'batch' ? batch : message,
  responses: { 200: { description: 'Stored.', schema: accepted } },
});

/** Analytics.js 2.0 and the mobile SDKs post to one-letter paths (`/v1/t`, …, `/v1/b` for a batch). */
const shortIngest = (letter: string): RouteContract => {
  const long = ingest(SHORT_ENDPOINTS[letter]);
  return { ...long, path: `/v1/${letter}`, summary: `${long.summary} (the SDKs' short path)` };
};

const sdkSettings = z
  .looseObject({
    integrations: z.looseObject({
      'Segment.io': z.looseObject({ apiKey: z.string(), apiHost: z.string(), protocol: z.enum(['http', 'https']) }),
    }),
  })
  .meta({ id: 'SdkSettings', description: 'What Analytics.js and the mobile SDKs read at start; no secrets.' });

const html = z.string().meta({ description: 'A small page saying what happened.' });
const unsubscribeQuery = z.object({
  token: z.string().min(1).meta({ description: 'The signed token from the message’s link.' }),
});

/** The messaging provider's delivery reports and 080 opt-outs; the provider-reports handler parses with it. */
export const providerReportsSchema = z
  .object({
    reports: z
      .array(
        z
          .object({
            messageRef: z.string().min(1).max(2000).meta({ description: 'The `messageRef` Retain sent with.' }),
            status: z.enum(['delivered', 'failed', 'opted-out']),
            code: z.string().max(50).optional().meta({ description: 'The provider’s or carrier’s result code.' }),
            at: z.iso.datetime({ offset: true }).optional(),
            phone: z
              .string()
              .regex(/^[0-9+-]{8,20}$/)
              .optional()
              .meta({ description: 'For an opt-out: the number that called the 080 line.' }),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();

export const publicRoutes = {
  track: ingest('track'),
  identify: ingest('identify'),
  page: ingest('page'),
  screen: ingest('screen'),
  group: ingest('group'),
  alias: ingest('alias'),
  batch: ingest('batch'),
  ...Object.fromEntries(Object.keys(SHORT_ENDPOINTS).map((letter) => [`${letter}Short`, shortIngest(letter)])),
  sdkSettings: {
    method: 'GET',
    path: '/v1/projects/{writeKey}/settings',
    target: 'ingest',
    auth: 'write-key',
    tag: 'ingest',
    summary: 'SDK settings',
    description:
      'The settings document Analytics.js (`cdnURL`) and the mobile SDKs (`cdnHost`) load at start, pointing ' +
      'them at this Retain. The write key in the path is public by design (it is in every page); an unknown key ' +
      'answers 404. Cacheable, CORS-open.',
    params: z.object({ writeKey: z.string().min(1).meta({ description: 'The source’s write key.' }) }),
    responses: { 200: { description: 'The settings document.', schema: sdkSettings } },
  },
  // The link in every marketing e-mail (RFC 8058 one-click: the POST acts, the GET asks).
  unsubscribePage: {
    method: 'GET',
    path: '/v1/unsubscribe',
    target: 'unsubscribe',
    auth: 'signed-link',
    tag: 'consent',
    summary: 'Ask to unsubscribe',
    description: 'The page behind the unsubscribe link: it asks, because mail scanners follow links.',
    query: unsubscribeQuery,
    responses: { 200: { description: 'The question, with a button.', schema: html, contentType: 'text/html' } },
  },
  unsubscribe: {
    method: 'POST',
    path: '/v1/unsubscribe',
    target: 'unsubscribe',
    auth: 'signed-link',
    tag: 'consent',
    summary: 'Unsubscribe',
    description: 'Withdraws marketing consent for the channel (RFC 8058 one-click: `List-Unsubscribe=One-Click`).',
    query: unsubscribeQuery,
    responses: { 200: { description: 'Done.', schema: html, contentType: 'text/html' } },
  },
  providerReports: {
    method: 'POST',
    path: '/v1/provider-reports',
    target: 'provider-reports',
    auth: 'signed-body',
    tag: 'consent',
    summary: 'Delivery reports and 080 opt-outs',
    description:
      'The messaging provider’s callback, signed: `x-retain-timestamp` and `x-retain-signature` ' +
      '(`sha256=` and the hex HMAC-SHA256 of `<timestamp>.<body>` with the webhook secret); ' +
      'older than five minutes is refused.',
    body: providerReportsSchema,
    responses: {
      200: {
        description: 'Each report’s result.',
        schema: z.object({ success: z.literal(true), results: z.array(z.looseObject({})) }),
      },
    },
  },
} satisfies Record<string, RouteContract>;

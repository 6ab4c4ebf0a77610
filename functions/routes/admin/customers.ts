// The table's admin routes for keys and customers: write keys, profiles, their events and messages, erasure.

import * as z from 'zod';
import { CHANNELS } from '../../core/delivery/channel.js';
import type { MessageLogEntry } from '../../core/delivery/messageLog.js';
import { contextSchema, MESSAGE_TYPES } from '../../core/events/segmentMessage.js';
import type { IngestError } from '../../core/events/ingestError.js';
import type { StoredEvent } from '../../core/events/storedEvent.js';
import type { CustomerMatch, ProfileView } from '../../core/profiles/customerRecord.js';
import type { ErasureRecord } from '../../core/profiles/erasure.js';
import { CONSENT_CHANNELS } from '../../core/profiles/profile.js';
import { ROLES } from '../../core/team/roles.js';
import { adminRoutes } from '../contract.js';
import { pointsEntry } from './loyalty.js';
import { type Assert, idParams, limitQuery, type Same, userKey } from '../shapes.js';

const addressQuery = z
  .object({
    email: z.string().trim().min(1).max(320).optional(),
    phone: z.string().trim().min(1).max(64).optional(),
  })
  .superRefine((q, ctx) => {
    if ((q.email === undefined) === (q.phone === undefined))
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'give either email or phone (one of them)' });
  });

const customerMatch = z
  .object({
    userKey,
    userId: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    name: z.string().optional().meta({ description: 'The `name` (or `이름`) trait, to tell customers apart.' }),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'CustomerMatch' });
type _CustomerMatch = Assert<Same<z.output<typeof customerMatch>, CustomerMatch>>;

const credential = z
  .object({
    kind: z.literal('write-key'),
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the secret, to tell keys apart.' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WriteKey' });
const adminToken = credential
  .extend({
    kind: z.literal('admin-token'),
    role: z.enum(ROLES).optional().meta({ description: 'What the token may do; none (an old token) means owner.' }),
    expiresAt: z.iso.datetime().optional().meta({ description: 'Refused from this instant on.' }),
    approver: z.boolean().optional().meta({ description: 'May decide approvals whatever its role.' }),
    rotatedAt: z.iso.datetime().optional().meta({ description: 'When its secret was last replaced.' }),
  })
  .meta({ id: 'AdminToken', description: 'An admin token without its secret (only its hash is stored).' });

const tokenGrant = z
  .object({
    name: z.string().trim().min(1).max(100).default('default'),
    role: z.enum(ROLES).default('owner').meta({ description: 'owner, marketer, analyst or privacy.' }),
    expiresAt: z
      .union([z.iso.datetime(), z.iso.date()])
      .transform((value) => new Date(value).toISOString())
      .optional()
      .meta({ description: 'A date or an instant in the future; the token is refused from then on.' }),
    approver: z.boolean().optional().meta({ description: 'May decide approvals whatever its role.' }),
  })
  .default({ name: 'default', role: 'owner' });

const userParams = z.object({ userId: z.string().min(1).meta({ description: 'The customer’s userId.' }) });
const idTypeQuery = z.object({
  idType: z
    .enum(['user', 'anonymous'])
    .default('user')
    .meta({ description: '`anonymous`: the path names an anonymousId rather than a userId.' }),
});

const consent = z
  .object({
    granted: z.boolean(),
    at: z.iso.datetime(),
    since: z.iso.datetime().optional().meta({ description: 'When the consent took this value, if before `at`.' }),
    source: z.string().optional().meta({ description: 'Where an imported statement came from.' }),
  })
  .meta({ id: 'Consent' });
const product = z.object({
  productId: z.string(),
  sku: z.string().optional(),
  name: z.string().optional(),
  category: z.string().optional(),
  brand: z.string().optional(),
  price: z.number().optional(),
  url: z.string().optional(),
  imageUrl: z.string().optional(),
});

const profileView = z
  .object({
    userKey,
    userId: z.string().optional(),
    anonymousIds: z.array(z.string()),
    mergedKeys: z.array(userKey).meta({ description: 'Every other key that now resolves to this profile.' }),
    traits: z.record(z.string(), z.unknown()),
    channels: z.object({
      email: z.string().optional(),
      phone: z.string().optional(),
      push: z.array(z.object({ token: z.string(), platform: z.string(), updatedAt: z.iso.datetime() })),
    }),
    timezone: z.string().optional(),
    locale: z.string().optional(),
    consent: z.partialRecord(z.enum(CONSENT_CHANNELS), consent),
    groupIds: z.array(z.string()),
    computed: z.object({
      firstSeen: z.iso.datetime(),
      lastSeen: z.iso.datetime(),
      eventCounts: z
        .record(z.string(), z.number())
        .meta({ description: 'Track events by name; pages and screens under `$page` and `$screen`.' }),
      orders: z.number(),
      revenue: z.number(),
      averageOrderValue: z.number(),
      firstOrderAt: z.iso.datetime().optional(),
      lastOrderAt: z.iso.datetime().optional(),
      lastViewedProduct: product.extend({ at: z.iso.datetime() }).optional(),
      cart: z.object({
        items: z.array(product.extend({ quantity: z.number() })),
        updatedAt: z.iso.datetime().optional(),
        checkoutStartedAt: z.iso.datetime().optional(),
      }),
    }),
    rfm: z
      .object({ r: z.number(), f: z.number(), m: z.number(), segment: z.string() })
      .optional()
      .meta({ description: 'Written by the daily analytics refresh.' }),
    predicted: z
      .object({
        clv: z.number(),
        pAlive: z.number(),
        expectedOrders: z.number(),
        nextOrderAt: z.iso.datetime().optional(),
      })
      .optional()
      .meta({ description: 'Written by the daily analytics refresh.' }),
    bestHour: z.number().int().optional().meta({ description: 'The local hour (0–23) the customer acts most.' }),
    purchaseCycleDays: z.number().optional().meta({ description: 'Median days between the customer’s orders.' }),
    lifecycle: z.enum(['new', 'active', 'repeat', 'vip', 'at risk', 'dormant', 'churned']).optional(),
    analyticsAt: z.iso.datetime().optional(),
    loyalty: z
      .object({
        points: z.number().meta({ description: 'The balance as of the profile’s last write.' }),
        entries: z.array(pointsEntry),
        condensed: z.number().int().optional(),
        tier: z.string().optional(),
        tierSince: z.iso.datetime({ offset: true }).optional(),
        revenue12m: z.number(),
        months: z.record(z.string(), z.number()).meta({ description: 'Revenue by month (`YYYY-MM`), the last 12.' }),
        lastTierChange: z
          .object({
            from: z.string().optional(),
            to: z.string().optional(),
            at: z.iso.datetime({ offset: true }),
            source: z.string(),
            revenue12m: z.number(),
          })
          .optional(),
      })
      .optional()
      .meta({ description: 'Points ledger and tier, once the loyalty programme is on.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().meta({ description: 'The stored item’s version (0: not stored yet).' }),
  })
  .meta({ id: 'Profile', description: 'Traits, identities, channels, consent and computed attributes.' });

const storedEvent = z
  .object({
    userKey,
    sk: z.string().meta({ description: '`<client timestamp>#<messageId>`: a retried message lands on the same key.' }),
    type: z.enum(MESSAGE_TYPES),
    messageId: z.string(),
    userId: z.string().optional(),
    anonymousId: z.string().optional(),
    event: z.string().optional(),
    name: z.string().optional(),
    category: z.string().optional(),
    groupId: z.string().optional(),
    previousId: z.string().optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
    traits: z.record(z.string(), z.unknown()).optional(),
    context: contextSchema.optional(),
    integrations: z.record(z.string(), z.unknown()).optional(),
    timestamp: z.iso.datetime().meta({ description: 'The event time, corrected for the client clock’s skew.' }),
    clientTimestamp: z.iso.datetime().meta({ description: 'The time the client stamped on the message.' }),
    sentAt: z.iso.datetime().optional(),
    receivedAt: z.iso.datetime(),
    writeKeyId: z.string(),
  })
  .meta({ id: 'StoredEvent', description: 'An accepted event as stored: the message plus where and when it arrived.' });

const channel = z.enum(CHANNELS);
const messageStatus = z
  .enum([
    'processing',
    'retrying',
    'sent',
    'skipped',
    'capped',
    'deferred',
    'failed',
    'fallback',
    'held-out',
    'cancelled',
  ])
  .meta({ id: 'MessageStatus' });
const messageLogEntry = z
  .object({
    userKey,
    idempotencyKey: z.string(),
    channel,
    template: z.string(),
    category: z.enum(['marketing', 'transactional']),
    journeyId: z.string().optional(),
    stepId: z.string().optional(),
    variant: z.string().optional(),
    status: messageStatus,
    reason: z.string().optional().meta({ description: 'Why it was not sent (or not yet), in the engine’s words.' }),
    requestedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    sentAt: z.iso.datetime().optional(),
    deferredUntil: z.iso.datetime().optional(),
    providerMessageId: z.string().optional(),
    capsCounted: z.boolean().optional(),
    pushDeliveredTo: z
      .array(z.string())
      .optional()
      .meta({ description: 'Fingerprints of the push tokens this message reached.' }),
    coupons: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'The coupon code each `{% coupon %}` pool gave this message.' }),
    attempts: z
      .array(z.object({ channel, status: messageStatus, reason: z.string().optional(), at: z.iso.datetime() }))
      .optional()
      .meta({ description: 'Every channel tried, in order.' }),
    deliveredVia: channel.optional(),
    nextChannel: channel.optional(),
    deliveredAt: z.iso.datetime().optional(),
    openedAt: z.iso.datetime().optional(),
    clickedAt: z.iso.datetime().optional(),
    bouncedAt: z.iso.datetime().optional(),
    complainedAt: z.iso.datetime().optional(),
    unsubscribedAt: z.iso.datetime().optional(),
    convertedAt: z.iso.datetime().optional(),
    revenue: z.number().optional(),
  })
  .meta({ id: 'MessageLogEntry', description: 'One message: sent, or why not (skipped, capped, deferred, …).' });

const ingestError = z
  .object({
    receivedAt: z.iso.datetime(),
    writeKeyId: z.string().optional(),
    path: z.string(),
    index: z.number().int().optional().meta({ description: 'The message’s place in a batch.' }),
    messageId: z.string().optional(),
    type: z.string().optional(),
    event: z.string().optional(),
    error: z.string().meta({ description: 'Why it was refused.' }),
  })
  .meta({ id: 'IngestError' });

const erasureRecord = z
  .object({
    id: z.string(),
    requestedAt: z.iso.datetime(),
    completedAt: z.iso.datetime(),
    keys: z.number().int().meta({ description: 'How many keys (userId, anonymousIds, merged profiles) were erased.' }),
    steps: z.array(
      z.object({
        where: z.string(),
        removed: z.number().int(),
        at: z.iso.datetime(),
        pending: z.boolean().optional().meta({ description: 'A job finishes this place later.' }),
      }),
    ),
    kept: z.array(z.string()).meta({ description: 'What stays, and why the law lets or makes it stay.' }),
  })
  .meta({ id: 'Erasure', description: 'What an erasure removed where and when; it names nobody.' });

// The schemas above describe what the handlers return; these fail to compile when the domain types move.
export type ResponseSchemasMatch = [
  Assert<Same<z.output<typeof profileView>, ProfileView>>,
  Assert<Same<z.output<typeof storedEvent>, StoredEvent>>,
  Assert<Same<z.output<typeof messageLogEntry>, MessageLogEntry>>,
  Assert<Same<z.output<typeof ingestError>, IngestError>>,
  Assert<Same<z.output<typeof erasureRecord>, ErasureRecord>>,
];

export const customerRoutes = adminRoutes({
  createWriteKey: {
    method: 'POST',
    path: '/admin/v1/write-keys',
    permission: 'keys:write',
    tag: 'keys',
    summary: 'Issue a write key',
    description: 'Creates a write key for a source; the secret is in this answer only and never stored.',
    body: z.object({ name: z.string().trim().min(1).max(100).default('default') }).default({ name: 'default' }),
    bodyOptional: true,
    responses: {
      201: {
        description: 'The key, with its secret as `writeKey`.',
        schema: credential.extend({ writeKey: z.string() }),
      },
    },
  },
  listWriteKeys: {
    method: 'GET',
    path: '/admin/v1/write-keys',
    permission: 'keys:read',
    tag: 'keys',
    summary: 'List write keys',
    description: 'Every write key, without secrets.',
    responses: { 200: { description: 'The keys.', schema: z.object({ writeKeys: z.array(credential) }) } },
  },
  deleteWriteKey: {
    method: 'DELETE',
    path: '/admin/v1/write-keys/{id}',
    permission: 'keys:write',
    tag: 'keys',
    summary: 'Revoke a write key',
    description: 'Events sent with the key are refused from now on.',
    params: idParams,
    responses: { 204: { description: 'Revoked.' } },
  },
  createAdminToken: {
    method: 'POST',
    path: '/admin/v1/admin-tokens',
    permission: 'keys:write',
    tag: 'keys',
    summary: 'Issue an admin token',
    description:
      'Creates an admin token with a role (owner unless said) and an optional expiry; the secret is in this ' +
      'answer only and never stored.',
    body: tokenGrant,
    bodyOptional: true,
    responses: {
      201: {
        description: 'The token, with its secret as `adminToken`.',
        schema: adminToken.extend({ adminToken: z.string() }),
      },
    },
  },
  listAdminTokens: {
    method: 'GET',
    path: '/admin/v1/admin-tokens',
    permission: 'keys:read',
    tag: 'keys',
    summary: 'List admin tokens',
    description: 'Every admin token, without secrets or hashes.',
    responses: { 200: { description: 'The tokens.', schema: z.object({ adminTokens: z.array(adminToken) }) } },
  },
  rotateAdminToken: {
    method: 'POST',
    path: '/admin/v1/admin-tokens/{id}/rotate',
    permission: 'keys:write',
    tag: 'keys',
    summary: 'Rotate an admin token',
    description:
      'Gives the token a new secret, keeping its id, name, role and expiry; the old secret is refused once the ' +
      'authorizer’s cache forgets it (up to 6 minutes in AWS). The new secret is in this answer only.',
    params: idParams,
    responses: {
      200: {
        description: 'The token, with its new secret as `adminToken`.',
        schema: adminToken.extend({ adminToken: z.string() }),
      },
    },
  },
  deleteAdminToken: {
    method: 'DELETE',
    path: '/admin/v1/admin-tokens/{id}',
    permission: 'keys:write',
    tag: 'keys',
    summary: 'Revoke an admin token',
    description:
      'The token is refused once the authorizer’s cache forgets it (up to 6 minutes in AWS). ' +
      'The token making the request cannot revoke itself (409), so the last one is never lost by accident.',
    params: idParams,
    responses: { 204: { description: 'Revoked.' } },
  },
  findProfiles: {
    method: 'GET',
    path: '/admin/v1/profiles',
    permission: 'profiles:read',
    tag: 'customers',
    summary: 'Find customers by e-mail or phone',
    description:
      'The address is normalised as ingest does (`010-1234-5678` finds `+821012345678`, case is ignored in ' +
      'e-mail), then matched exactly against the address each profile holds now. Several customers may share ' +
      'one. A profile last written before this index existed (an upgrade) is found after its next write.',
    query: addressQuery,
    responses: {
      200: {
        description: 'The customers holding the address (at most 20).',
        schema: z.object({ customers: z.array(customerMatch) }),
      },
    },
  },
  getProfile: {
    method: 'GET',
    path: '/admin/v1/profiles/{userId}',
    permission: 'profiles:read',
    tag: 'customers',
    summary: 'Read a customer’s profile',
    description:
      'The profile as the engine sees it, after identity resolution (a merged anonymous profile leads here).',
    params: userParams,
    query: idTypeQuery,
    responses: { 200: { description: 'The profile.', schema: profileView } },
  },
  listProfileEvents: {
    method: 'GET',
    path: '/admin/v1/profiles/{userId}/events',
    permission: 'profiles:read',
    tag: 'customers',
    summary: 'A customer’s recent events',
    description: 'The newest events first, across the customer’s merged identities.',
    params: userParams,
    query: idTypeQuery.extend(limitQuery(1000, 50).shape),
    responses: { 200: { description: 'The events.', schema: z.object({ events: z.array(storedEvent) }) } },
  },
  eraseProfile: {
    method: 'DELETE',
    path: '/admin/v1/profiles/{userId}',
    permission: 'profiles:erase',
    tag: 'customers',
    summary: 'Erase a customer',
    description:
      'Deletes the profile, its events, pending journey wake-ups, all per-user state and the copies in the event ' +
      'archive (GDPR / PIPA erasure); reports leave the customer out at once. Keeps the hashed address on the ' +
      'suppression list, so an erased person who opted out is never messaged again.',
    params: userParams,
    query: idTypeQuery,
    responses: {
      200: {
        description: 'What was deleted, and the id of the erasure record.',
        schema: z.object({
          erased: z.boolean(),
          erasureId: z.string().optional().meta({ description: 'Read it with `GET /admin/v1/erasures/{id}`.' }),
          profiles: z.number(),
          events: z.number(),
          stateItems: z.number(),
          wakeUps: z.number().meta({ description: 'Pending journey wake-ups cancelled.' }),
        }),
      },
    },
  },
  getErasure: {
    method: 'GET',
    path: '/admin/v1/erasures/{id}',
    permission: 'profiles:erase',
    tag: 'customers',
    summary: 'What an erasure removed',
    description: 'Every place the customer was removed from, how many items and when, and what was kept and why.',
    params: idParams,
    responses: { 200: { description: 'The erasure record.', schema: erasureRecord } },
  },
  listProfileMessages: {
    method: 'GET',
    path: '/admin/v1/profiles/{userId}/messages',
    permission: 'profiles:read',
    tag: 'customers',
    summary: 'A customer’s message log',
    description: 'Every message, newest first, with the reason for each one not sent.',
    params: userParams,
    query: limitQuery(500, 50),
    responses: { 200: { description: 'The messages.', schema: z.object({ messages: z.array(messageLogEntry) }) } },
  },
  listIngestErrors: {
    method: 'GET',
    path: '/admin/v1/ingest-errors',
    permission: 'keys:read',
    tag: 'keys',
    summary: 'Recently refused events',
    description: 'The newest refused ingest messages and why, to debug a source.',
    query: limitQuery(500, 100),
    responses: {
      200: { description: 'The refusals.', schema: z.object({ errors: z.array(ingestError) }) },
    },
  },
});

// The table's admin routes for keys and customers: write keys, profiles, their events and messages, erasure.

import * as z from 'zod';
import { adminRoutes } from '../contract.js';
import { idParams, limitQuery } from '../shapes.js';

const credential = z
  .object({
    kind: z.literal('write-key'),
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the secret, to tell keys apart.' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WriteKey' });

const userParams = z.object({ userId: z.string().min(1).meta({ description: 'The customer’s userId.' }) });
const idTypeQuery = z.object({
  idType: z
    .enum(['user', 'anonymous'])
    .default('user')
    .meta({ description: '`anonymous`: the path names an anonymousId rather than a userId.' }),
});

const profileView = z
  .looseObject({
    userKey: z.string(),
    userId: z.string().optional(),
    traits: z.record(z.string(), z.unknown()),
    version: z.number().int(),
  })
  .meta({ id: 'Profile', description: 'Traits, identities, channels, consent and computed attributes.' });

const storedEvent = z.looseObject({ type: z.string(), messageId: z.string(), timestamp: z.string() });
const messageLogEntry = z
  .looseObject({ status: z.string(), channel: z.string(), requestedAt: z.iso.datetime() })
  .meta({ id: 'MessageLogEntry', description: 'One message: sent, or why not (skipped, capped, deferred, …).' });

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
    description: 'Deletes the profile, its events and all per-user state (GDPR / PIPA erasure).',
    params: userParams,
    query: idTypeQuery,
    responses: {
      200: {
        description: 'What was deleted.',
        schema: z.object({ erased: z.boolean(), profiles: z.number(), events: z.number(), stateItems: z.number() }),
      },
    },
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
      200: { description: 'The refusals.', schema: z.object({ errors: z.array(z.looseObject({ at: z.string() })) }) },
    },
  },
});

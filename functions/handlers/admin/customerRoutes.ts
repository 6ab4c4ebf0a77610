// Admin route implementations for keys and customers: write keys, admin tokens, profiles, their events, erasure.

import type { Logger } from '@aws-lambda-powertools/logger';
import type { Credential } from '../../core/credentials/credential.js';
import { issueCredential, rotateCredential } from '../../core/credentials/issueCredential.js';
import { anonymousUserKey, knownUserKey } from '../../core/events/userKey.js';
import { eraseCustomer, findCustomers, recentEvents, viewProfile } from '../../core/profiles/customerRecord.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';

const publicCredential = ({ hash: _hash, ...rest }: Credential) => rest;

const userKeyOf = (userId: string, idType: 'user' | 'anonymous') =>
  idType === 'anonymous' ? anonymousUserKey(userId) : knownUserKey(userId);

export function customerRoutes(deps: AdminDeps, logger: Logger) {
  return {
    createWriteKey: async ({ body }) => {
      const { credential, secret } = await issueCredential('write-key', body.name, deps);
      return jsonResponse(201, { ...publicCredential(credential), writeKey: secret });
    },
    listWriteKeys: async () => {
      const keys = await deps.credentials.list('write-key');
      return jsonResponse(200, { writeKeys: keys.map(publicCredential) });
    },
    deleteWriteKey: async ({ params: { id } }) => {
      if (!(await deps.credentials.delete('write-key', id))) throw new NotFoundError(`no write key has the id ${id}`);
      return { statusCode: 204 };
    },
    createAdminToken: async ({ body: { name, ...grant } }) => {
      if (grant.expiresAt && Date.parse(grant.expiresAt) <= deps.clock.now().getTime()) {
        throw new InvalidRequestError('the token would be expired already: give a future date', 'body.expiresAt');
      }
      const { credential, secret } = await issueCredential('admin-token', name, deps, grant);
      logger.info('admin token issued', { id: credential.id, name: credential.name, role: credential.role });
      return jsonResponse(201, { ...publicCredential(credential), adminToken: secret });
    },
    rotateAdminToken: async ({ params: { id } }) => {
      const { credential, secret } = await rotateCredential('admin-token', id, deps);
      logger.info('admin token rotated', { id });
      return jsonResponse(200, { ...publicCredential(credential), adminToken: secret });
    },
    listAdminTokens: async () => {
      const tokens = await deps.credentials.list('admin-token');
      return jsonResponse(200, { adminTokens: tokens.map(publicCredential) });
    },
    deleteAdminToken: async ({ params: { id }, actor }) => {
      // Revoking the token in hand could leave nobody able to call the API; another token (or the CLI's
      // `admin-token create` against the table) must do it.
      if (actor.kind === 'token' && actor.id === id) {
        throw new ConflictError('this request is made with that admin token; revoke it with another one');
      }
      if (!(await deps.credentials.delete('admin-token', id)))
        throw new NotFoundError(`no admin token has the id ${id}`);
      logger.info('admin token revoked', { id });
      return { statusCode: 204 };
    },
    findProfiles: async ({ query }) => {
      const search = query.email !== undefined ? { email: query.email } : { phone: query.phone ?? '' };
      return jsonResponse(200, { customers: await findCustomers(search, deps) });
    },
    getProfile: async ({ params: { userId }, query: { idType } }) => {
      const profile = await viewProfile(userKeyOf(userId, idType), deps);
      if (!profile) throw new NotFoundError(`no profile for ${userId}; has an event for it been sent?`);
      return jsonResponse(200, profile);
    },
    listProfileEvents: async ({ params: { userId }, query: { idType, limit } }) => {
      const events = await recentEvents(userKeyOf(userId, idType), limit, deps);
      if (!events) throw new NotFoundError(`no profile for ${userId}`);
      return jsonResponse(200, { events });
    },
    eraseProfile: async ({ params: { userId }, query: { idType } }) => {
      const erasure = await eraseCustomer(userKeyOf(userId, idType), deps);
      if (!erasure.erased) throw new NotFoundError(`nothing is stored for ${userId}`);
      // Counts and the record's id only: the log must not keep whom it erased.
      logger.info('customer erased', { ...erasure });
      return jsonResponse(200, erasure);
    },
    getErasure: async ({ params: { id } }) => {
      const record = await deps.erasures.get(id);
      if (!record) throw new NotFoundError(`no erasure has the id ${id}`);
      return jsonResponse(200, record);
    },
    listIngestErrors: async ({ query: { limit } }) => {
      return jsonResponse(200, { errors: await deps.ingestErrors.listRecent(limit) });
    },
  } satisfies SomeImplementations;
}

// Admin route implementations for loyalty: the points ledger as of now, and a manual adjustment.

import { anonymousUserKey, knownUserKey } from '../../core/events/userKey.js';
import { adjustPoints, viewPoints } from '../../core/loyalty/adjustPoints.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';

export function loyaltyRoutes(deps: AdminDeps) {
  const keyOf = (userId: string, idType: 'user' | 'anonymous') =>
    idType === 'anonymous' ? anonymousUserKey(userId) : knownUserKey(userId);
  return {
    getPoints: async ({ params: { userId }, query: { idType } }) =>
      jsonResponse(200, await viewPoints(keyOf(userId, idType), deps, deps.clock.now())),
    adjustPoints: async ({ params: { userId }, query: { idType }, body }) => {
      const { outcome, view } = await adjustPoints(keyOf(userId, idType), body, deps, deps.clock.now());
      return jsonResponse(200, { outcome, ledger: view });
    },
  } satisfies SomeImplementations;
}

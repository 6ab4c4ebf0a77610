// The audit log's admin route: the entries, filtered and paged back in time.

import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';

const DAY_MS = 86_400_000;

export function auditRoutes({ audit, clock }: Pick<AdminDeps, 'audit' | 'clock'>) {
  return {
    listAuditEntries: async ({ query }) => {
      const before = query.before ?? clock.now().toISOString();
      const from = query.from ?? new Date(Date.parse(before.slice(0, 24)) - 30 * DAY_MS).toISOString();
      return jsonResponse(200, await audit.list({ ...query, from, before }));
    },
  } satisfies SomeImplementations;
}

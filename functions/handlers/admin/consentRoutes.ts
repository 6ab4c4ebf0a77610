// Admin route implementations for the consent lifecycle: the ledger (JSON or CSV) and the upcoming renewals.

import { anonymousUserKey, knownUserKey } from '../../core/events/userKey.js';
import { consentLedgerCsv } from '../../core/profiles/consentLedger.js';
import { upcomingRenewals } from '../../core/profiles/consentRenewal.js';
import { findProfile } from '../../core/profiles/updateProfiles.js';
import { NotFoundError } from '../../core/errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';

export function consentRoutes(deps: AdminDeps) {
  return {
    getConsentLedger: async ({ params: { userId }, query: { idType, format } }) => {
      const key = idType === 'anonymous' ? anonymousUserKey(userId) : knownUserKey(userId);
      const found = await findProfile(key, (k) => deps.profiles.get(k));
      if (!found) throw new NotFoundError(`no profile for ${userId}`);
      const entries = await deps.consentLedger.list(found.profile.userKey);
      if (format !== 'csv') return jsonResponse(200, { entries });
      const headers = {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="consent-ledger.csv"`,
      };
      return { statusCode: 200, headers, body: consentLedgerCsv(found.profile.userId ?? userId, entries) };
    },
    listConsentRenewals: async ({ query: { days } }) =>
      jsonResponse(200, { renewals: await upcomingRenewals(deps, deps.clock.now(), days) }),
  } satisfies SomeImplementations;
}

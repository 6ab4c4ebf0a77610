// The analytics refresh wired to the adapters: shared by the nightly Lambda and the admin API's on-demand run.

import { refreshCustomers } from '../core/analytics/refreshCustomers.js';
import { refreshRecommendations } from '../core/offers/recommend.js';
import type { Adapters } from '../adapters/Adapters.js';

export function runRefresh(
  adapters: Pick<Adapters, 'settings' | 'reports' | 'profiles' | 'analyticsModels' | 'clock' | 'catalog'>,
) {
  return async () => {
    const settings = await adapters.settings.get();
    const now = adapters.clock.now();
    const customers = await refreshCustomers(
      { reports: adapters.reports, profiles: adapters.profiles, saveModel: (m) => adapters.analyticsModels.save(m) },
      settings,
      now,
    );
    // Recommendations need no fitted model: they are written however few the buyers are.
    const recommendations = await refreshRecommendations(adapters, settings.attribution.event, now);
    return { ...customers, recommended: recommendations.profilesUpdated };
  };
}

// The analytics refresh wired to the adapters: shared by the nightly Lambda and the admin API's on-demand run.

import { refreshCustomers } from '../core/analytics/refreshCustomers.js';
import type { Adapters } from '../adapters/Adapters.js';

export function runRefresh(
  adapters: Pick<Adapters, 'settings' | 'reports' | 'profiles' | 'analyticsModels' | 'clock'>,
) {
  return async () => {
    const settings = await adapters.settings.get();
    return refreshCustomers(
      { reports: adapters.reports, profiles: adapters.profiles, saveModel: (m) => adapters.analyticsModels.save(m) },
      settings,
      adapters.clock.now(),
    );
  };
}

// What the admin API needs: nearly every port, by the names the composition roots build them under.

import type { Adapters } from '../../adapters/Adapters.js';
import type { DeliveryQueue } from '../../core/delivery/ports.js';

/** The admin API enqueues single requests and only invalidates the journey cache; it never defers. */
export type AdminDeps = Omit<Adapters, 'deferrer' | 'deliveries' | 'journeyIndex'> & {
  deliveries: DeliveryQueue;
  /** The container's cache of live journeys: a change made here is seen at once. */
  journeyIndex: Pick<Adapters['journeyIndex'], 'invalidate'>;
};

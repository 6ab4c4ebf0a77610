// The delivery settings, cached per container: every message and every stream batch reads them, and they
// change rarely. A change made through this container is seen at once; other containers see it within the TTL.

import type { DeliverySettings } from '../core/delivery/settings.js';
import type { SettingsStore } from '../core/delivery/ports.js';
import type { Clock } from '../core/system/ports.js';

export class CachedSettingsStore implements SettingsStore {
  private cached?: { settings: Promise<DeliverySettings>; until: number };

  constructor(
    private readonly inner: SettingsStore,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  get(): Promise<DeliverySettings> {
    const now = this.clock.now().getTime();
    if (!this.cached || now >= this.cached.until || now < this.cached.until - this.ttlMs) {
      const settings = this.inner.get();
      this.cached = { settings, until: now + this.ttlMs };
      // A failed read is not cached.
      settings.catch(() => (this.cached = undefined));
    }
    return this.cached.settings;
  }

  async put(settings: DeliverySettings): Promise<void> {
    await this.inner.put(settings);
    this.cached = { settings: Promise.resolve(settings), until: this.clock.now().getTime() + this.ttlMs };
  }
}

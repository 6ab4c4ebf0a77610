// Counts of events by name on a profile: names come from clients, so they are handled as map keys, never
// as object members (`constructor`, `hasOwnProperty` and `__proto__` are ordinary event names here).

import { PROFILE_LIMITS } from './profile.js';

/** The count of one event name; 0 for a name never counted, even one Object.prototype happens to define. */
export function eventCount(counts: Record<string, number>, name: string): number {
  return Object.hasOwn(counts, name) ? counts[name] : 0;
}

/**
 * Adds `n` to a name's count in place. A new name beyond PROFILE_LIMITS.eventNames is dropped, keeping the
 * profile item small. The count is defined as an own data property: a plain assignment to `__proto__` would
 * replace the object's prototype instead of counting, and the profile is stored as JSON, which keeps it.
 */
export function addEventCount(counts: Record<string, number>, name: string, n = 1): void {
  const known = Object.hasOwn(counts, name);
  if (!known && Object.keys(counts).length >= PROFILE_LIMITS.eventNames) return;
  const value = (known ? counts[name] : 0) + n;
  Object.defineProperty(counts, name, { value, enumerable: true, writable: true, configurable: true });
}

// Event names from clients counted on profiles, including names Object.prototype defines.
import { describe, expect, it } from 'vitest';
import { applyEvents } from '../../functions/core/profiles/applyEvents.js';
import { mergeProfiles } from '../../functions/core/profiles/mergeProfiles.js';
import { eventCount } from '../../functions/core/profiles/eventCounts.js';
import { newProfile, PROFILE_LIMITS } from '../../functions/core/profiles/profile.js';
import { positioned } from './builders.js';

const NAMES = ['constructor', 'hasOwnProperty', '__proto__', 'toString', 'valueOf'];

const track = (userId: string, event: string) => positioned({ type: 'track', userId, event });

describe('computed.eventCounts', () => {
  it('counts constructor, hasOwnProperty and __proto__ like any other event name', () => {
    const profile = applyEvents(newProfile('u:u1', '2026-11-23T10:00:00.000Z'), [
      ...NAMES.map((name) => track('u1', name)),
      ...NAMES.map((name) => track('u1', name)),
      track('u1', 'Signed Up'),
    ]);
    const counts = profile.computed.eventCounts;
    expect(Object.getPrototypeOf(counts)).toBe(Object.prototype);
    expect(Object.keys(counts).sort()).toEqual([...NAMES, 'Signed Up'].sort());
    for (const name of NAMES) expect(eventCount(counts, name)).toBe(2);
    expect(JSON.parse(JSON.stringify(counts))).toEqual(
      JSON.parse(`{${[...NAMES.map((n) => `"${n}":2`), '"Signed Up":1'].join(',')}}`),
    );
  });

  it('keeps counting after the profile went through JSON, as it does in the Profiles table', () => {
    const first = applyEvents(
      newProfile('u:u2', '2026-11-23T10:00:00.000Z'),
      NAMES.map((n) => track('u2', n)),
    );
    const reread = JSON.parse(JSON.stringify(first));
    const again = applyEvents(
      reread,
      NAMES.map((n) => track('u2', n)),
    );
    for (const name of NAMES) expect(eventCount(again.computed.eventCounts, name)).toBe(2);
    expect(Object.getPrototypeOf(again.computed.eventCounts)).toBe(Object.prototype);
  });

  it('sums those names when an anonymous profile is merged into the known one', () => {
    const known = applyEvents(
      newProfile('u:u3', '2026-11-23T10:00:00.000Z'),
      NAMES.map((n) => track('u3', n)),
    );
    const anonymous = applyEvents(newProfile('a:a3', '2026-11-23T09:00:00.000Z'), [
      ...NAMES.map((n) => positioned({ type: 'track', anonymousId: 'a3', event: n })),
    ]);
    const merged = mergeProfiles(known, JSON.parse(JSON.stringify(anonymous)));
    for (const name of NAMES) expect(eventCount(merged.computed.eventCounts, name)).toBe(2);
  });

  it('still drops new names beyond the per-profile limit', () => {
    const many = Array.from({ length: PROFILE_LIMITS.eventNames }, (_, i) => track('u4', `E${i}`));
    const profile = applyEvents(newProfile('u:u4', '2026-11-23T10:00:00.000Z'), [...many, track('u4', 'constructor')]);
    expect(Object.keys(profile.computed.eventCounts)).toHaveLength(PROFILE_LIMITS.eventNames);
    expect(eventCount(profile.computed.eventCounts, 'constructor')).toBe(0);
  });
});

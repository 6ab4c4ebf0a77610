import { describe, expect, it } from 'vitest';
import type { UserKey } from '../../functions/core/events/userKey.js';
import { applyEvents } from '../../functions/core/profiles/applyEvents.js';
import { newProfile, type StoredProfile } from '../../functions/core/profiles/profile.js';
import { groupByUser, planProfileWrite } from '../../functions/core/profiles/updateProfiles.js';
import { positioned } from './builders.js';

function reader(items: StoredProfile[]) {
  const byKey = new Map<UserKey, StoredProfile>(
    items.map((i) => [i.kind === 'profile' ? i.profile.userKey : i.tombstone.userKey, i]),
  );
  return async (key: UserKey) => byKey.get(key);
}

const anonymousProfile = () =>
  applyEvents(newProfile('a:dev-1', '2026-11-20T00:00:00.000Z'), [
    positioned({
      type: 'track',
      anonymousId: 'dev-1',
      event: 'Product Added',
      properties: { product_id: 'p1' },
      timestamp: '2026-11-20T00:00:00.000Z',
    }),
    positioned({ type: 'identify', anonymousId: 'dev-1', traits: { name: 'Guest', source: 'ad' } }),
  ]);

describe('planProfileWrite', () => {
  it('creates a new profile at version 0', async () => {
    const [group] = groupByUser([positioned({ type: 'identify', userId: 'u1', traits: { name: 'Kim' } })]);
    const write = await planProfileWrite(group, reader([]));
    expect(write?.expectedVersion).toBe(0);
    expect(write?.profile.traits).toEqual({ name: 'Kim' });
    expect(write?.tombstones).toEqual([]);
  });

  it('merges the anonymous profile into the known one on identify and leaves a tombstone', async () => {
    const [group] = groupByUser([
      positioned({
        type: 'identify',
        userId: 'u1',
        anonymousId: 'dev-1',
        traits: { name: 'Kim' },
        timestamp: '2026-11-21T00:00:00.000Z',
      }),
    ]);
    const write = await planProfileWrite(group, reader([{ kind: 'profile', profile: anonymousProfile(), version: 2 }]));
    expect(write?.profile).toMatchObject({
      userKey: 'u:u1',
      userId: 'u1',
      anonymousIds: ['dev-1'],
      mergedKeys: ['a:dev-1'],
      traits: { name: 'Kim', source: 'ad' },
    });
    expect(write?.profile.computed.eventCounts).toEqual({ 'Product Added': 1 });
    expect(write?.profile.computed.cart.items).toHaveLength(1);
    expect(write?.profile.computed.firstSeen).toBe('2026-11-20T00:00:00.000Z');
    expect(write?.tombstones).toEqual([{ tombstone: { userKey: 'a:dev-1', mergedInto: 'u:u1' }, expectedVersion: 2 }]);
  });

  it('resolves later anonymous events through the tombstone to the known profile', async () => {
    const known = newProfile('u:u1', '2026-11-21T00:00:00.000Z');
    known.mergedKeys = ['a:dev-1'];
    const [group] = groupByUser([positioned({ type: 'track', anonymousId: 'dev-1', event: 'Cart Viewed' })]);
    const write = await planProfileWrite(
      group,
      reader([
        { kind: 'tombstone', tombstone: { userKey: 'a:dev-1', mergedInto: 'u:u1' }, version: 1 },
        { kind: 'profile', profile: known, version: 4 },
      ]),
    );
    expect(write?.profile.userKey).toBe('u:u1');
    expect(write?.expectedVersion).toBe(4);
    expect(write?.profile.computed.eventCounts).toEqual({ 'Cart Viewed': 1 });
  });

  it('links an alias previousId that has no profile yet so its future events resolve', async () => {
    const [group] = groupByUser([positioned({ type: 'alias', userId: 'new-id', previousId: 'old-id' })]);
    const write = await planProfileWrite(group, reader([]));
    expect(write?.tombstones.map((t) => t.tombstone.userKey).sort()).toEqual(['a:old-id', 'u:old-id']);
    expect(write?.profile.mergedKeys.sort()).toEqual(['a:old-id', 'u:old-id']);
  });

  it('never moves a shared device already linked to another customer', async () => {
    const other = newProfile('u:u2', '2026-11-21T00:00:00.000Z');
    const [group] = groupByUser([positioned({ type: 'identify', userId: 'u1', anonymousId: 'dev-1' })]);
    const write = await planProfileWrite(
      group,
      reader([
        { kind: 'tombstone', tombstone: { userKey: 'a:dev-1', mergedInto: 'u:u2' }, version: 1 },
        { kind: 'profile', profile: other, version: 1 },
      ]),
    );
    expect(write?.tombstones).toEqual([]);
    expect(write?.profile.mergedKeys).toEqual([]);
  });

  it('plans nothing when every event was already applied', async () => {
    const event = positioned({ type: 'identify', userId: 'u1', traits: { a: 1 } });
    const profile = applyEvents(newProfile('u:u1', event.event.timestamp), [event]);
    const [group] = groupByUser([event]);
    expect(await planProfileWrite(group, reader([{ kind: 'profile', profile, version: 1 }]))).toBeUndefined();
  });

  it('groups events per customer in stream order', () => {
    const a1 = positioned({ type: 'page', userId: 'a' });
    const b1 = positioned({ type: 'page', userId: 'b' });
    const a2 = positioned({ type: 'page', userId: 'a' });
    expect(groupByUser([a1, b1, a2])).toEqual([
      { userKey: 'u:a', events: [a1, a2] },
      { userKey: 'u:b', events: [b1] },
    ]);
  });
});

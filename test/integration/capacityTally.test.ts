import { describe, expect, it } from 'vitest';
import type { CapacityTally } from '../../functions/adapters/aws/dynamodb/documentClient.js';
import { newProfile } from '../../functions/core/profiles/profile.js';
import { freshTables } from '../support/tables.js';

describe('the capacity tally the benchmark reads', () => {
  it('counts writes as write units and reads as read units', async () => {
    const tally: CapacityTally = { readUnits: 0, writeUnits: 0 };
    const t = await freshTables({ tally });
    await t.adapters.profiles.write({
      profile: newProfile('u:tally', '2026-11-23T00:00:00.000Z'),
      expectedVersion: 0,
      tombstones: [],
    });
    expect(tally).toEqual({ readUnits: 0, writeUnits: 1 });
    await t.adapters.profiles.get('u:tally');
    await t.adapters.profiles.getMany(['u:tally']);
    expect(tally.writeUnits).toBe(1);
    expect(tally.readUnits).toBeGreaterThan(0);
  });
});

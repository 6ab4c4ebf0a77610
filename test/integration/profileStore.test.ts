import { beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, createTables } from '../../functions/local/createTables.js';
import { tableNamesWithPrefix, tableSpecs } from '../../functions/tables.js';
import { newProfile } from '../../functions/core/profiles/profile.js';
import { DynamoProfileStore } from '../../functions/adapters/aws/dynamodb/DynamoProfileStore.js';
import type { AudienceCursor } from '../../functions/core/profiles/ports.js';
import type { UserKey } from '../../functions/core/events/userKey.js';
import { groupByUser, updateProfiles } from '../../functions/core/profiles/updateProfiles.js';
import { freshTables, type TestTables } from '../support/tables.js';
import { positioned } from '../unit/builders.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

describe('DynamoProfileStore', () => {
  it('writes only at the expected version', async () => {
    const profile = newProfile('u:v-user', '2026-11-23T00:00:00.000Z');
    expect(await t.adapters.profiles.write({ profile, expectedVersion: 0, tombstones: [] })).toBe('written');
    expect(await t.adapters.profiles.write({ profile, expectedVersion: 0, tombstones: [] })).toBe('conflict');
    expect(await t.adapters.profiles.write({ profile, expectedVersion: 1, tombstones: [] })).toBe('written');
    expect(await t.adapters.profiles.get('u:v-user')).toMatchObject({ kind: 'profile', version: 2 });
  });

  it('writes a merge and its tombstones atomically, or not at all', async () => {
    const anonymous = newProfile('a:m-dev', '2026-11-23T00:00:00.000Z');
    await t.adapters.profiles.write({ profile: anonymous, expectedVersion: 0, tombstones: [] });
    const known = newProfile('u:m-user', '2026-11-23T00:00:00.000Z');
    const stale = await t.adapters.profiles.write({
      profile: known,
      expectedVersion: 0,
      tombstones: [{ tombstone: { userKey: 'a:m-dev', mergedInto: 'u:m-user' }, expectedVersion: 7 }],
    });
    expect(stale).toBe('conflict');
    expect(await t.adapters.profiles.get('u:m-user')).toBeUndefined();
    const merged = await t.adapters.profiles.write({
      profile: known,
      expectedVersion: 0,
      tombstones: [{ tombstone: { userKey: 'a:m-dev', mergedInto: 'u:m-user' }, expectedVersion: 1 }],
    });
    expect(merged).toBe('written');
    expect(await t.adapters.profiles.get('a:m-dev')).toEqual({
      kind: 'tombstone',
      version: 2,
      tombstone: { userKey: 'a:m-dev', mergedInto: 'u:m-user' },
    });
  });

  it.each(['transactions', 'items'] as const)('writes many profiles each on its own condition (%s)', async (mode) => {
    const store = new DynamoProfileStore(t.adapters.client, t.tables.profiles, mode);
    const at = '2026-11-23T00:00:00.000Z';
    const moved = newProfile(`u:wm-${mode}-7`, at);
    await store.write({ profile: moved, expectedVersion: 0, tombstones: [] });
    // 250 writes (three transactions); one profile moved on since it was read, which cancels its transaction: the
    // others in it go again without it.
    const writes = Array.from({ length: 250 }, (_, i) => ({
      profile: { ...newProfile(`u:wm-${mode}-${i}`, at), traits: { n: i } },
      expectedVersion: 0,
      tombstones: [],
    }));
    const answers = await store.writeMany(writes);
    expect(answers.filter((a) => a === 'conflict')).toHaveLength(1);
    expect(answers[7]).toBe('conflict');
    expect(await store.get(`u:wm-${mode}-7`)).toMatchObject({ version: 1, profile: { traits: {} } });
    const read = await store.getMany(writes.map((w) => w.profile.userKey));
    expect([...read.values()].filter((p) => p.kind === 'profile' && p.version === 1)).toHaveLength(250);
    expect(read.get(`u:wm-${mode}-249`)).toMatchObject({ kind: 'profile', profile: { traits: { n: 249 } } });
    // The same writes again: every one meets the version the first wrote.
    expect(new Set(await store.writeMany(writes.slice(0, 120)))).toEqual(new Set(['conflict']));
    await expect(store.writeMany([writes[0], writes[0]])).rejects.toThrow(/distinct/);
  });

  it('writes a merge among many on its own, with its tombstones', async () => {
    const at = '2026-11-23T00:00:00.000Z';
    await t.adapters.profiles.write({ profile: newProfile('a:wmm-dev', at), expectedVersion: 0, tombstones: [] });
    const answers = await t.adapters.profiles.writeMany([
      { profile: newProfile('u:wmm-1', at), expectedVersion: 0, tombstones: [] },
      {
        profile: { ...newProfile('u:wmm-2', at), mergedKeys: ['a:wmm-dev'] },
        expectedVersion: 0,
        tombstones: [{ tombstone: { userKey: 'a:wmm-dev', mergedInto: 'u:wmm-2' }, expectedVersion: 1 }],
      },
    ]);
    expect(answers).toEqual(['written', 'written']);
    expect(await t.adapters.profiles.get('a:wmm-dev')).toMatchObject({ kind: 'tombstone', version: 2 });
  });

  it('reads many profiles in one call', async () => {
    for (const id of ['g1', 'g2']) {
      await t.adapters.profiles.write({
        profile: newProfile(`u:${id}`, '2026-11-23T00:00:00.000Z'),
        expectedVersion: 0,
        tombstones: [],
      });
    }
    const found = await t.adapters.profiles.getMany(['u:g1', 'u:g2', 'u:missing']);
    expect([...found.keys()].sort()).toEqual(['u:g1', 'u:g2']);
  });

  it('reads the live profiles in disjoint parts, page by page, through cursors that survive a queue message', async () => {
    const written = Array.from({ length: 12 }, (_, i): UserKey => `u:part-${i}`);
    for (const userKey of written) {
      await t.adapters.profiles.write({
        profile: newProfile(userKey, '2026-11-23T00:00:00.000Z'),
        expectedVersion: 0,
        tombstones: [],
      });
    }
    await t.adapters.profiles.write({
      profile: newProfile('u:part-kept', '2026-11-23T00:00:00.000Z'),
      expectedVersion: 0,
      tombstones: [{ tombstone: { userKey: 'u:part-merged', mergedInto: 'u:part-kept' }, expectedVersion: 0 }],
    });
    const read: string[] = [];
    for (let index = 0; index < 3; index++) {
      let cursor: AudienceCursor | undefined;
      do {
        const page = await t.adapters.profiles.audiencePage({ index, of: 3 }, cursor, 2);
        expect(page.profiles.length).toBeLessThanOrEqual(2);
        read.push(...page.profiles.map((profile) => profile.userKey).filter((key) => key.startsWith('u:part-')));
        // The fan-out carries the cursor in a JSON queue message to the next invocation.
        cursor = page.next === undefined ? undefined : (JSON.parse(JSON.stringify(page.next)) as AudienceCursor);
        if (cursor !== undefined) expect(typeof cursor).toBe('string');
      } while (cursor);
    }
    expect(read.sort()).toEqual([...written, 'u:part-kept'].sort());
  });

  it('applies concurrent batches from several devices of one customer without losing any (optimistic locking)', async () => {
    // Records of one key arrive in order from one shard; concurrency on a profile comes from its merged
    // devices, whose records may sit in other shards and be processed at the same moment.
    const devices = ['d1', 'd2', 'd3', 'd4'];
    const hot = newProfile('u:hot', '2026-11-23T00:00:00.000Z');
    hot.mergedKeys = devices.map((d) => `a:${d}` as const);
    await t.adapters.profiles.write({
      profile: hot,
      expectedVersion: 0,
      tombstones: devices.map((d) => ({
        tombstone: { userKey: `a:${d}` as const, mergedInto: 'u:hot' as const },
        expectedVersion: 0,
      })),
    });
    const orders = (device: string) =>
      Array.from({ length: 5 }, () =>
        positioned({ type: 'track', anonymousId: device, event: 'Order Completed', properties: { total: 10 } }),
      );
    const results = await Promise.all(
      devices.map((d) => updateProfiles(groupByUser(orders(d)), { profiles: t.adapters.profiles })),
    );
    expect(results.flat().map((r) => r.outcome)).toEqual(['written', 'written', 'written', 'written']);
    const stored = await t.adapters.profiles.get('u:hot');
    expect(stored?.kind === 'profile' && stored.profile.computed.orders).toBe(20);
    expect(stored?.kind === 'profile' && stored.profile.computed.revenue).toBe(200);
  });
  it('finds the customers who hold an address now, by e-mail or by phone, and no one who moved off it', async () => {
    const at = '2026-11-23T00:00:00.000Z';
    const write = async (id: string, channels: { email?: string; phone?: string }, expectedVersion = 0) => {
      const profile = newProfile(`u:${id}`, at);
      profile.channels = { ...profile.channels, ...channels };
      expect(await t.adapters.profiles.write({ profile, expectedVersion, tombstones: [] })).toBe('written');
    };
    await write('addr-1', { email: 'shared@example.com', phone: '+821012345678' });
    await write('addr-2', { email: 'shared@example.com' });
    await write('addr-3', { phone: '+821099998888' });
    const byEmail = await t.adapters.profiles.findByAddress({ email: 'shared@example.com' });
    expect(byEmail.sort()).toEqual(['u:addr-1', 'u:addr-2']);
    expect(await t.adapters.profiles.findByAddress({ phone: '+821012345678' })).toEqual(['u:addr-1']);
    // A new address replaces the old one in the index with the same write.
    await write('addr-2', { email: 'moved@example.com' }, 1);
    expect(await t.adapters.profiles.findByAddress({ email: 'shared@example.com' })).toEqual(['u:addr-1']);
    expect(await t.adapters.profiles.findByAddress({ email: 'moved@example.com' })).toEqual(['u:addr-2']);
    expect(await t.adapters.profiles.findByAddress({ email: 'nobody@example.com' })).toEqual([]);
  });

  it('adds the address indexes to a Profiles table made before them, keeping its items', async () => {
    const client = new DynamoDBClient({
      endpoint: t.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const tables = tableNamesWithPrefix(`old${t.prefix}`);
      const { globalIndexes: _added, ...before } = tableSpecs.profiles;
      await client.send(new CreateTableCommand(createTableInput(before, tables.profiles)));
      await client.send(
        new PutItemCommand({
          TableName: tables.profiles,
          Item: { userKey: { S: 'u:kept' }, kind: { S: 'profile' }, version: { N: '1' }, doc: { S: '{}' } },
        }),
      );
      await createTables(client, tables);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tables.profiles }));
      expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['byEmail', 'byPhone']);
      expect((await client.send(new ScanCommand({ TableName: tables.profiles }))).Count).toBe(1);
      // Run again (every later `npm start`): nothing to add, nothing fails.
      await createTables(client, tables);
    } finally {
      client.destroy();
    }
  });
});

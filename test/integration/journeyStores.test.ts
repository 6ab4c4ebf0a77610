import { beforeAll, describe, expect, it } from 'vitest';
import { startInstance } from '../../functions/core/journeys/advance.js';
import { journeyDefinitionSchema } from '../../functions/core/journeys/definition.js';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

const definition = journeyDefinitionSchema.parse({
  id: 'welcome',
  name: 'Welcome',
  trigger: { kind: 'event', event: 'Signed Up' },
  start: 'e',
  steps: { e: { type: 'exit' } },
});
const now = new Date('2026-11-23T00:00:00Z');
const instance = (userId: string, instanceId: string) =>
  startInstance(definition, 1, { userKey: `u:${userId}`, instanceId, now, trigger: {} });

describe('DynamoInstanceStore', () => {
  it('creates an instance once per trigger: the same trigger again finds it', async () => {
    expect(await t.adapters.instances.enter(instance('a', 'i1'), { policy: 'one-at-a-time' }, now)).toBe('entered');
    expect(await t.adapters.instances.enter(instance('a', 'i1'), { policy: 'one-at-a-time' }, now)).toBe('exists');
  });

  it('enforces one at a time until the running instance ends', async () => {
    expect(await t.adapters.instances.enter(instance('b', 'i1'), { policy: 'one-at-a-time' }, now)).toBe('entered');
    expect(await t.adapters.instances.enter(instance('b', 'i2'), { policy: 'one-at-a-time' }, now)).toBe('refused');
    const ended = { ...instance('b', 'i1'), status: 'completed' as const, revision: 1, endedAt: now.toISOString() };
    expect(await t.adapters.instances.save(ended)).toBe('saved');
    expect(await t.adapters.instances.enter(instance('b', 'i2'), { policy: 'one-at-a-time' }, now)).toBe('entered');
  });

  it('enforces once ever, even after the instance ended', async () => {
    expect(await t.adapters.instances.enter(instance('c', 'i1'), { policy: 'once' }, now)).toBe('entered');
    await t.adapters.instances.save({ ...instance('c', 'i1'), status: 'completed', revision: 1 });
    expect(await t.adapters.instances.enter(instance('c', 'i2'), { policy: 'once' }, now)).toBe('refused');
  });

  it('allows re-entry after N days', async () => {
    expect(await t.adapters.instances.enter(instance('d', 'i1'), { policy: 'after', days: 7 }, now)).toBe('entered');
    await t.adapters.instances.save({ ...instance('d', 'i1'), status: 'completed', revision: 1 });
    const sixDays = new Date(now.getTime() + 6 * 86_400_000);
    expect(await t.adapters.instances.enter(instance('d', 'i2'), { policy: 'after', days: 7 }, sixDays)).toBe(
      'refused',
    );
    const eightDays = new Date(now.getTime() + 8 * 86_400_000);
    expect(await t.adapters.instances.enter(instance('d', 'i3'), { policy: 'after', days: 7 }, eightDays)).toBe(
      'entered',
    );
  });

  it('saves only on top of the revision it read, and lists the active instances', async () => {
    await t.adapters.instances.enter(instance('e', 'i1'), { policy: 'one-at-a-time' }, now);
    expect(await t.adapters.instances.save({ ...instance('e', 'i1'), revision: 1, step: 'x' })).toBe('saved');
    expect(await t.adapters.instances.save({ ...instance('e', 'i1'), revision: 1, step: 'y' })).toBe('conflict');
    expect((await t.adapters.instances.get('u:e', 'welcome', 'i1'))?.step).toBe('x');
    expect((await t.adapters.instances.listActive('u:e')).map((i) => i.instanceId)).toEqual(['i1']);
    await t.adapters.instances.save({ ...instance('e', 'i1'), revision: 2, status: 'exited' });
    expect(await t.adapters.instances.listActive('u:e')).toEqual([]);
    expect(await t.adapters.instances.list('u:e', 'welcome')).toHaveLength(1);
  });
});

describe('DynamoJourneyStore', () => {
  it('stores each edit as a new version and keeps the active one pinned', async () => {
    const v1 = await t.adapters.journeys.saveVersion(definition, now);
    expect(v1).toMatchObject({ id: 'welcome', status: 'draft', latestVersion: 1 });
    await t.adapters.journeys.setStatus('welcome', 'active', now, 1);
    const v2 = await t.adapters.journeys.saveVersion({ ...definition, name: 'Welcome 2' }, now);
    expect(v2).toMatchObject({ status: 'active', latestVersion: 2, activeVersion: 1 });
    expect((await t.adapters.journeys.version('welcome', 1))?.definition.name).toBe('Welcome');
    const live = await t.adapters.journeys.live();
    expect(live.map((j) => [j.head.id, [...j.versions.keys()]])).toEqual([['welcome', [1]]]);
    await t.adapters.journeys.setStatus('welcome', 'archived', now);
    expect(await t.adapters.journeys.live()).toEqual([]);
  });

  it('never gives two concurrent edits the same version number', async () => {
    const other = { ...definition, id: 'race' };
    const heads = await Promise.all(Array.from({ length: 5 }, () => t.adapters.journeys.saveVersion(other, now)));
    expect(heads.map((h) => h.latestVersion).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

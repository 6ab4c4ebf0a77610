import { beforeAll, describe, expect, it } from 'vitest';
import type { Broadcast } from '../../functions/core/broadcasts/broadcast.js';
import { broadcastSchema } from '../../functions/core/broadcasts/broadcast.js';
import type { BroadcastPage } from '../../functions/core/broadcasts/fanOut.js';
import { runBroadcastPage, startBroadcast } from '../../functions/core/broadcasts/runBroadcast.js';
import type { DeliveryRequest } from '../../functions/core/journeys/instance.js';
import { newProfile } from '../../functions/core/profiles/profile.js';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
const now = new Date('2026-11-23T01:00:00Z');
const enqueued: { request: DeliveryRequest; at: Date }[] = [];
const pages: { page: BroadcastPage; at: Date }[] = [];
const deps = () => ({
  ...t.adapters,
  deliveries: {
    enqueue: async () => undefined,
    enqueueMany: async (items: typeof enqueued) => void enqueued.push(...items),
  },
  pages: { schedule: async (page: BroadcastPage, at: Date) => void pages.push({ page, at }) },
});
const draft = (id: string, extra: Record<string, unknown> = {}): Broadcast => ({
  definition: broadcastSchema.parse({ id, segment: 'pro', template: 'news', ratePerMinute: 100_000, ...extra }),
  status: 'draft',
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  progress: { chains: 0, chainsDone: 0, pages: 0, enqueued: 0, heldOut: 0 },
});

/** Runs every page on the (fake) broadcast queue, and the pages they hand on, until none is left. */
async function drain(): Promise<number> {
  let runs = 0;
  while (pages.length > 0) {
    const { page } = pages.shift()!;
    await runBroadcastPage(page, deps(), now);
    runs++;
  }
  return runs;
}

beforeAll(async () => {
  t = await freshTables();
  await t.adapters.segments.put({
    id: 'pro',
    name: 'Pro plan',
    condition: { attribute: 'traits.plan', op: 'eq', value: 'pro' },
  });
  await t.adapters.templates.put({
    id: 'news',
    name: 'News',
    channel: 'push',
    push: { title: 'News', body: 'Hello' },
    variants: {},
  });
  for (let i = 0; i < 120; i++) {
    const profile = newProfile(`u:f${i}`, now.toISOString());
    profile.traits = { plan: i % 3 === 0 ? 'free' : 'pro' };
    await t.adapters.profiles.write({ profile, expectedVersion: 0, tombstones: [] });
  }
});

describe('broadcast fan-out on DynamoDB Local', () => {
  it('reads every scan segment in pages and enqueues each member of the segment exactly once', async () => {
    await t.adapters.broadcasts.create(draft('all-pro'));
    const started = await startBroadcast(
      (await t.adapters.broadcasts.get('all-pro'))!,
      [now],
      { broadcasts: t.adapters.broadcasts, pages: deps().pages },
      now,
    );
    expect(started?.progress.chains).toBe(8);
    expect(pages).toHaveLength(8);
    await drain();
    const keys = enqueued.map((e) => e.request.userKey);
    expect(new Set(keys).size).toBe(80);
    expect(keys).toHaveLength(80);
    const stored = (await t.adapters.broadcasts.get('all-pro'))!;
    expect(stored.status).toBe('enqueued');
    expect(stored.progress).toMatchObject({ chains: 8, chainsDone: 8, enqueued: 80, heldOut: 0 });
  });

  it('counts a repeated page once and does not hand its next page on twice', async () => {
    enqueued.length = 0;
    await t.adapters.broadcasts.create(draft('repeat', { ratePerMinute: 80 }));
    await startBroadcast(
      (await t.adapters.broadcasts.get('repeat'))!,
      [now],
      { broadcasts: t.adapters.broadcasts, pages: deps().pages },
      now,
    );
    // 80 a minute over 8 segments: pages of 100 profiles. Run the first page twice, as SQS may deliver it.
    const first = pages[0].page;
    expect(await runBroadcastPage(first, deps(), now)).toMatchObject({ status: 'done' });
    expect(await runBroadcastPage(first, deps(), now)).toMatchObject({ status: 'already', enqueued: 0 });
    pages.shift();
    await drain();
    const stored = (await t.adapters.broadcasts.get('repeat'))!;
    expect(stored.progress.enqueued).toBe(80);
    expect(stored.status).toBe('enqueued');
  });

  it('enqueues nothing more once cancelled', async () => {
    enqueued.length = 0;
    await t.adapters.broadcasts.create(draft('stopped'));
    await startBroadcast(
      (await t.adapters.broadcasts.get('stopped'))!,
      [now],
      { broadcasts: t.adapters.broadcasts, pages: deps().pages },
      now,
    );
    expect(await t.adapters.broadcasts.cancel('stopped', now.toISOString())).toBe(true);
    expect(await drain()).toBe(8);
    expect(enqueued).toHaveLength(0);
    expect(await t.adapters.broadcasts.status('stopped')).toBe('cancelled');
    expect(await t.adapters.broadcasts.cancel('stopped', now.toISOString())).toBe(false);
    expect(await t.adapters.broadcasts.delete('stopped')).toBe('not-draft');
  });
});

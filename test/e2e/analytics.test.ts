import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';
import { syntheticShop } from '../../demo/syntheticShop.js';

// Every wait below is on a condition (the pipeline drained, the clock advanced); these bounds are only room for a
// busy machine, where a test here takes tens of seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_analytics-e2e';
const ADMIN_TOKEN = 'rat_analytics-e2e';
let runtime: LocalRuntime;
const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });

beforeAll(async () => {
  ({ runtime } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
  const { now } = await client().advance('1m');
  // A small year of the demo shop, through the real ingest.
  let batch: Record<string, unknown>[] = [];
  for (const messages of syntheticShop({ customers: 300, events: 15_000, end: new Date(now), seed: 5 })) {
    batch.push(...messages);
    if (batch.length >= 1000) {
      await client().send(batch);
      batch = [];
    }
  }
  await client().send(batch);
});

afterAll(async () => {
  await runtime?.stop();
});

describe('analytics through the local runtime', () => {
  it('refreshes on demand and at local midnight: profiles get RFM, predictions and lifecycle segments can use', async () => {
    const refreshed = await client().admin('POST', '/admin/v1/analytics/refresh');
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(refreshed.body.buyers).toBeGreaterThan(50);
    expect(refreshed.body.profilesUpdated).toBe(300);
    expect((await client().admin('GET', '/admin/v1/analytics/model')).body.purchases.r).toBeGreaterThan(0);

    // A segment on the computed attributes, estimated over the profiles.
    await client().admin('POST', '/admin/v1/segments', {
      id: 'slipping',
      name: 'Valuable but slipping',
      condition: { all: [{ attribute: 'rfm.segment', op: 'in', value: ['At risk', "Can't lose"] }] },
    });
    const estimate = await client().admin('POST', '/admin/v1/segments/slipping/estimate');
    expect(estimate.body.matching).toBeGreaterThan(0);

    const profiles = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client().admin('GET', `/admin/v1/profiles/demo-${i + 1}`)),
    );
    const buyer = profiles.map((p) => p.body).find((p) => p.computed.orders >= 2);
    expect(buyer.rfm.segment).toEqual(expect.any(String));
    expect(buyer.predicted.pAlive).toBeGreaterThan(0);
    expect(['new', 'active', 'repeat', 'vip', 'at risk', 'dormant', 'churned']).toContain(buyer.lifecycle);

    const advanced = await client().advance('1d');
    expect(advanced).toMatchObject({ analytics: { buyers: refreshed.body.buyers } });
  });
});

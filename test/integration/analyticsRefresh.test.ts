import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveRecordOf } from '../../functions/core/analytics/archiveRecord.js';
import { refreshCustomers } from '../../functions/core/analytics/refreshCustomers.js';
import { RFM_SEGMENTS } from '../../functions/core/analytics/eventReports.js';
import { defaultSettings } from '../../functions/core/delivery/settings.js';
import type { StoredEvent } from '../../functions/core/events/storedEvent.js';
import { newProfile } from '../../functions/core/profiles/profile.js';
import { evaluateCondition } from '../../functions/core/segments/condition.js';
import { profileSubject } from '../../functions/core/segments/profileSubject.js';
import { LocalEventArchive } from '../../functions/adapters/local/LocalEventArchive.js';
import { DuckDbReportEngine } from '../../functions/adapters/local/DuckDbReportEngine.js';
import { syntheticShop } from '../../demo/syntheticShop.js';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
const asOf = new Date('2026-11-23T00:00:00Z');
const orders = new Map<string, number>();

beforeAll(async () => {
  t = await freshTables();
  const dir = mkdtempSync(join(tmpdir(), 'retain-refresh-'));
  const archive = new LocalEventArchive(dir);
  for (const messages of syntheticShop({ customers: 400, events: 20_000, end: asOf, seed: 11 })) {
    const userId = messages[0].userId as string;
    const stored = messages.map(
      (m) =>
        ({
          ...(m as object),
          userKey: `u:${userId}`,
          sk: '',
          clientTimestamp: m.timestamp,
          receivedAt: m.timestamp,
          writeKeyId: 'test',
        }) as StoredEvent,
    );
    await archive.append(stored.map(archiveRecordOf));
    const profile = newProfile(`u:${userId}`, messages[0].timestamp);
    profile.timezone = 'Asia/Seoul';
    profile.computed.lastSeen = messages.at(-1)!.timestamp;
    const bought = messages.filter((m) => m.event === 'Order Completed');
    profile.computed.orders = bought.length;
    profile.computed.revenue = bought.reduce((s, m) => s + ((m.properties as { total: number }).total ?? 0), 0);
    orders.set(userId, bought.length);
    await t.adapters.profiles.write({ profile, expectedVersion: 0, tombstones: [] });
  }
  t.adapters.reports = new DuckDbReportEngine(dir);
});

describe('the daily analytics refresh', () => {
  it('fits the models on the archive and writes predictions, RFM, best hour, purchase cycle and lifecycle to profiles', async () => {
    const buyers = [...orders.values()].filter((n) => n > 0).length;
    const result = await refreshCustomers(
      {
        reports: t.adapters.reports,
        profiles: t.adapters.profiles,
        saveModel: (m) => t.adapters.analyticsModels.save(m),
      },
      defaultSettings(),
      asOf,
    );
    expect(result.buyers).toBe(buyers);
    // Everyone seen gets a lifecycle stage; buyers also get predictions and RFM.
    expect(result.profilesUpdated).toBe(orders.size);
    const model = await t.adapters.analyticsModels.latest();
    expect(model?.purchases.r).toBeGreaterThan(0);
    expect(model?.rfm.recencyDays).toHaveLength(4);

    const repeater = [...orders.entries()].find(([, n]) => n >= 3)![0];
    const stored = await t.adapters.profiles.get(`u:${repeater}`);
    const profile = stored?.kind === 'profile' ? stored.profile : undefined;
    expect(RFM_SEGMENTS.map((s) => s.name)).toContain(profile?.rfm?.segment);
    expect(profile?.predicted?.clv).toBeGreaterThanOrEqual(0);
    expect(profile?.predicted?.pAlive).toBeGreaterThan(0);
    expect(profile?.predicted?.pAlive).toBeLessThanOrEqual(1);
    expect(profile?.bestHour).toBeGreaterThanOrEqual(0);
    expect(profile?.bestHour).toBeLessThan(24);
    expect(profile?.purchaseCycleDays).toBeGreaterThan(0);
    expect(profile?.lifecycle).toBeDefined();
    // Segments can use them.
    expect(
      evaluateCondition(
        { attribute: 'rfm.segment', op: 'eq', value: profile!.rfm!.segment },
        profileSubject(profile),
        asOf,
        () => undefined,
      ),
    ).toBe(true);
    expect(
      evaluateCondition(
        { attribute: 'predicted.pAlive', op: 'gt', value: 0 },
        profileSubject(profile),
        asOf,
        () => undefined,
      ),
    ).toBe(true);

    const browser = [...orders.entries()].find(([, n]) => n === 0)![0];
    const stored2 = await t.adapters.profiles.get(`u:${browser}`);
    const looker = stored2?.kind === 'profile' ? stored2.profile : undefined;
    expect(looker?.rfm).toBeUndefined();
    expect(looker?.predicted).toBeUndefined();
    expect(['new', 'active', 'at risk', 'dormant', 'churned']).toContain(looker?.lifecycle);
  }, 60_000);
});

// The stream batch's orchestration on in-memory ports: customers are independent, and each failure names the
// stage and the position the stream must resume from.
import { describe, expect, it } from 'vitest';
import { processCustomerEvents, type PipelineDeps } from '../../functions/core/pipeline/processCustomerEvents.js';
import { JourneyIndex } from '../../functions/core/journeys/journeyIndex.js';
import { defaultSettings } from '../../functions/core/delivery/settings.js';
import type { ProfileStore } from '../../functions/core/profiles/ports.js';

type StoredProfile = NonNullable<Awaited<ReturnType<ProfileStore['get']>>>;
import { untouchedJourneyPorts } from '../support/untouchedPorts.js';
import { positioned } from './builders.js';

function memoryDeps(options: { failWritesFor?: string } = {}) {
  const stored = new Map<string, StoredProfile>();
  const written: string[] = [];
  const deps: PipelineDeps = {
    ...untouchedJourneyPorts(),
    profiles: {
      get: async (key) => stored.get(key),
      getMany: async (keys) => new Map(keys.flatMap((k) => (stored.has(k) ? [[k, stored.get(k)!] as const] : []))),
      write: async (update) => {
        const key = update.profile.userKey;
        if (key === options.failWritesFor) throw new Error('throttled');
        written.push(key);
        return 'written';
      },
      writeMany: async () => {
        throw new Error('the pipeline writes one profile at a time');
      },
      delete: async () => undefined,
      scan: async () => 0,
      audiencePage: async () => ({ profiles: [] }),
      findByAddress: async () => [],
    },
    journeyIndex: { get: async () => new JourneyIndex([]) },
    settings: { get: async () => defaultSettings() },
    messages: {
      since: async () => [],
      convert: async () => undefined,
      feedback: async () => undefined,
      get: async () => undefined,
    },
    metrics: { add: async () => undefined },
    coupons: { redeem: async () => ({ kind: 'unknown' }) },
    catalog: { observe: async () => undefined },
    consentLedger: { append: async (entries) => entries },
    events: { append: async () => undefined },
  };
  return { deps, written };
}

describe('processCustomerEvents', () => {
  it('folds every customer and, with no live journey, touches no journey port', async () => {
    const { deps, written } = memoryDeps();
    const events = [
      positioned({ type: 'track', event: 'Viewed', userId: 'kim' }),
      positioned({ type: 'identify', userId: 'lee' }),
    ];
    expect(await processCustomerEvents(events, deps, new Date('2026-11-23T10:00:00Z'))).toEqual([]);
    expect(written.sort()).toEqual(['u:kim', 'u:lee']);
  });

  it('reports a failed profile at its first position and still processes the other customers', async () => {
    const { deps, written } = memoryDeps({ failWritesFor: 'u:kim' });
    const kim = positioned({ type: 'track', event: 'Viewed', userId: 'kim' });
    const lee = positioned({ type: 'track', event: 'Viewed', userId: 'lee' });
    const failures = await processCustomerEvents([kim, lee], deps, new Date('2026-11-23T10:00:00Z'));
    expect(failures.map((f) => [f.stage, f.userKey, f.position, f.error.message])).toEqual([
      ['profile', 'u:kim', kim.position, 'throttled'],
    ]);
    expect(written).toEqual(['u:lee']);
  });
});

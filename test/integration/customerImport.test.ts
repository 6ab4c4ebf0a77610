import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvCustomerRecords, type CsvReadOptions } from '../../functions/adapters/csv/csvCustomerRecords.js';
import { importCustomers, type ImportOptions } from '../../functions/core/imports/importCustomers.js';
import { newProfile, type Profile } from '../../functions/core/profiles/profile.js';
import type { UserKey } from '../../functions/core/events/userKey.js';
import { fixedClock, freshTables, type TestTables } from '../support/tables.js';

const fixture = (name: string) => new URL(`../fixtures/imports/${name}`, import.meta.url);
const clock = fixedClock('2026-12-01T00:00:00.000Z');
let t: TestTables;
beforeAll(async () => {
  t = await freshTables({ clock });
});

const real: ImportOptions = { dryRun: false, triggerJourneys: false, source: 'csv' };

function importText(csv: string, options: ImportOptions = real, read: CsvReadOptions = {}) {
  return importCustomers(csvCustomerRecords(Readable.from([Buffer.from(csv)]), read), options, {
    profiles: t.adapters.profiles,
    clock,
  });
}

async function profileOf(userId: string): Promise<Profile | undefined> {
  const stored = await t.adapters.profiles.get(`u:${userId}`);
  return stored?.kind === 'profile' ? stored.profile : undefined;
}

describe('CSV customer import against DynamoDB Local', () => {
  it('reads an EUC-KR Excel export, refuses bad rows by number and reason, and changes nothing the second time', async () => {
    const run = () =>
      importCustomers(csvCustomerRecords(createReadStream(fixture('customers-euc-kr.csv'))), real, {
        profiles: t.adapters.profiles,
        clock,
      });
    const first = await run();
    expect(first).toMatchObject({ records: 4, accepted: 2, refusedCount: 2, created: 2, changed: 2, unchanged: 0 });
    expect(first.refused).toEqual([
      { record: 4, field: 'email', reason: 'not a deliverable e-mail address' },
      { record: 5, field: '회원ID', reason: 'no userId' },
    ]);
    // kr-1's advertising "Y" has no date: not proof, so it stays unknown and is counted.
    expect(first.consent).toEqual({ applied: 4, olderKept: 0, withoutDate: 1 });

    const minjun = await profileOf('kr-1');
    expect(minjun?.traits).toEqual({ 이름: '김민준', 등급: 'VIP' });
    expect(minjun?.channels).toMatchObject({ email: 'minjun@example.com', phone: '+821012345678' });
    expect(minjun?.consent).toEqual({
      email: { granted: true, at: '2024-03-01T00:30:00.000Z', source: 'csv' },
      sms: { granted: true, at: '2024-02-29T15:00:00.000Z', source: 'csv' },
    });
    expect(await profileOf('kr-3')).toBeUndefined();

    const second = await run();
    expect(second).toMatchObject({ accepted: 2, refusedCount: 2, created: 0, changed: 0, unchanged: 2 });
    expect((await t.adapters.profiles.get('u:kr-1'))?.version).toBe(1);
  });

  it('reads the same file as UTF-8 with a BOM, or EUC-KR when told so', async () => {
    const bom = await importCustomers(
      csvCustomerRecords(createReadStream(fixture('customers-utf8-bom.csv'))),
      { ...real, dryRun: true },
      { profiles: t.adapters.profiles, clock },
    );
    expect(bom).toMatchObject({ accepted: 2, changed: 0, unchanged: 2 });
    const told = await importCustomers(
      csvCustomerRecords(createReadStream(fixture('customers-euc-kr.csv')), { encoding: 'euc-kr' }),
      { ...real, dryRun: true },
      { profiles: t.adapters.profiles, clock },
    );
    expect(told).toMatchObject({ accepted: 2, changed: 0, unchanged: 2 });
  });

  it('keeps the newer consent statement, whichever side it is on', async () => {
    const profile = newProfile('u:c-1', '2024-01-01T00:00:00.000Z');
    profile.consent.email = { granted: false, at: '2024-05-01T00:00:00.000Z' };
    profile.consent.sms = { granted: false, at: '2024-01-01T00:00:00.000Z' };
    await t.adapters.profiles.write({ profile, expectedVersion: 0, tombstones: [] });

    const report = await importText(
      'userId,email_consent,email_consent_at,email_consent_source,sms_consent,sms_consent_at\n' +
        'c-1,Y,2024-03-01T00:00:00Z,store signup,Y,2024-06-01T00:00:00Z\n',
    );
    expect(report).toMatchObject({ changed: 1, consent: { applied: 1, olderKept: 1, withoutDate: 0 } });
    expect((await profileOf('c-1'))?.consent).toEqual({
      email: { granted: false, at: '2024-05-01T00:00:00.000Z' },
      sms: { granted: true, at: '2024-06-01T00:00:00.000Z', source: 'csv' },
    });
  });

  it('leaves an existing consent as it is when the file states one without a date', async () => {
    const profile = newProfile('u:c-2', '2024-01-01T00:00:00.000Z');
    profile.consent.advertising = { granted: false, at: '2024-01-01T00:00:00.000Z' };
    await t.adapters.profiles.write({ profile, expectedVersion: 0, tombstones: [] });
    const report = await importText('userId,advertising_consent\nc-2,Y\n');
    expect(report).toMatchObject({ accepted: 1, changed: 0, consent: { withoutDate: 1, applied: 0 } });
    expect((await profileOf('c-2'))?.consent.advertising).toEqual({ granted: false, at: '2024-01-01T00:00:00.000Z' });
  });

  it('writes nothing on a dry run but reports what would change', async () => {
    const report = await importText('userId,email\ndry-1,dry@example.com\ndry-2,\n', { ...real, dryRun: true });
    expect(report).toMatchObject({ accepted: 2, created: 2, changed: 2, dryRun: true });
    expect(await t.adapters.profiles.get('u:dry-1')).toBeUndefined();
  });

  /** A known customer `into` that an earlier identify merged `old` into, as the live path leaves them. */
  async function aliasInto(into: UserKey, old: UserKey) {
    const known = newProfile(into, '2024-01-01T00:00:00.000Z');
    await t.adapters.profiles.write({ profile: known, expectedVersion: 0, tombstones: [] });
    await t.adapters.profiles.write({
      profile: { ...known, mergedKeys: [old] },
      expectedVersion: 1,
      tombstones: [{ tombstone: { userKey: old, mergedInto: into }, expectedVersion: 0 }],
    });
  }

  it('lands on the profile an earlier identify merged into, as a live event would', async () => {
    // `u:m-old` was aliased into `u:m-1`: its tombstone points there.
    await aliasInto('u:m-1', 'u:m-old');
    const report = await importText('userId,grade\nm-old,gold\n');
    expect(report).toMatchObject({ created: 0, changed: 1 });
    expect((await profileOf('m-1'))?.traits).toEqual({ grade: 'gold' });
  });

  it('sends changed customers through the journeys only when asked', async () => {
    const appended: unknown[] = [];
    const events = { append: async (e: unknown[]) => void appended.push(...e) };
    const quiet = await importCustomers(
      csvCustomerRecords(Readable.from([Buffer.from('userId,plan\nj-1,pro\n')])),
      real,
      { profiles: t.adapters.profiles, clock, events },
    );
    expect(quiet.journeysTriggered).toBe(0);
    expect(appended).toEqual([]);
    const loud = await importCustomers(
      csvCustomerRecords(Readable.from([Buffer.from('userId,plan\nj-1,team\n')])),
      { ...real, triggerJourneys: true, jobId: 'job-1' },
      { profiles: t.adapters.profiles, clock, events },
    );
    expect(loud.journeysTriggered).toBe(1);
    expect(appended).toEqual([
      expect.objectContaining({ type: 'identify', userKey: 'u:j-1', userId: 'j-1', traits: { plan: 'team' } }),
    ]);
  });

  it('writes a chunk together and reads again only the customer a live event wrote meanwhile', async () => {
    const store = t.adapters.profiles;
    const calls = { writeMany: 0, together: 0, oneByOne: 0 };
    const profiles = Object.assign(Object.create(store), {
      writeMany: async (writes: Parameters<typeof store.writeMany>[0]) => {
        calls.writeMany++;
        calls.together += writes.length;
        // A live identify lands on w-2 between the chunk's read and its write.
        const live = newProfile('u:w-2', '2026-11-30T00:00:00.000Z');
        await store.write({ profile: { ...live, traits: { app: 'ios' } }, expectedVersion: 0, tombstones: [] });
        return store.writeMany(writes);
      },
      write: async (write: Parameters<typeof store.write>[0]) => {
        calls.oneByOne++;
        return store.write(write);
      },
    }) as typeof store;
    const rows = Array.from({ length: 150 }, (_, i) => `w-${i},gold`).join('\n');
    const report = await importCustomers(
      csvCustomerRecords(Readable.from([Buffer.from(`userId,grade\n${rows}\n`)])),
      real,
      { profiles, clock },
    );
    expect(calls).toEqual({ writeMany: 2, together: 150, oneByOne: 1 });
    expect(report).toMatchObject({ accepted: 150, created: 149, changed: 150, unchanged: 0 });
    // The import's trait is applied on top of what the live event wrote, which stays.
    expect((await profileOf('w-2'))?.traits).toEqual({ app: 'ios', grade: 'gold' });
    expect((await profileOf('w-149'))?.traits).toEqual({ grade: 'gold' });
  });

  it('applies both ids of one merged customer listed in one chunk, the second on top of the first', async () => {
    await aliasInto('u:k-1', 'u:k-old');
    const report = await importText('userId,grade,city\nk-1,gold,\nk-old,,Seoul\n');
    expect(report).toMatchObject({ accepted: 2, created: 0, changed: 2 });
    expect((await profileOf('k-1'))?.traits).toEqual({ grade: 'gold', city: 'Seoul' });
  });

  it('counts a write whose answer was lost (the SDK’s retry then answered conflict) as the write it was', async () => {
    // The real store. A live event makes the chunk's write conflict; the one-by-one write after it lands in
    // DynamoDB Local but its answer is lost, as when the retried PutItem meets the version the first attempt wrote.
    const store = t.adapters.profiles;
    let lost = 0;
    const profiles = Object.assign(Object.create(store), {
      writeMany: async (writes: Parameters<typeof store.writeMany>[0]) => {
        const live = newProfile('u:r-1', '2026-11-30T00:00:00.000Z');
        await store.write({ profile: live, expectedVersion: 0, tombstones: [] });
        return store.writeMany(writes);
      },
      write: async (write: Parameters<typeof store.write>[0]) => {
        const answer = await store.write(write);
        return lost++ === 0 ? 'conflict' : answer;
      },
    }) as typeof store;
    const report = await importCustomers(
      csvCustomerRecords(Readable.from([Buffer.from('userId,email\nr-1,r1@example.com\n')])),
      real,
      { profiles, clock },
    );
    expect(lost).toBe(1);
    expect(report).toMatchObject({ accepted: 1, created: 0, changed: 1, unchanged: 0 });
    expect((await profileOf('r-1'))?.channels.email).toBe('r1@example.com');
  });
});

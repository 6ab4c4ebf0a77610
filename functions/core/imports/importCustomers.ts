// The import job: applies a stream of imported customers to profiles in chunks, idempotently, and reports what it did.

import type { EventStore } from '../events/ports.js';
import type { StoredEvent } from '../events/storedEvent.js';
import { knownUserKey, type UserKey } from '../events/userKey.js';
import type { ProfileStore, ProfileWrite } from '../profiles/ports.js';
import { newProfile, type Profile } from '../profiles/profile.js';
import { findProfile, MAX_WRITE_ATTEMPTS, ProfileConflictError } from '../profiles/updateProfiles.js';
import { canonicalJson } from '../audit/auditEntry.js';
import type { Clock } from '../system/ports.js';
import { applyImportedCustomer } from './applyImportedCustomer.js';
import type { ImportedCustomer, ImportSource, RefusedRecord } from './importedCustomer.js';

export type ImportOptions = {
  dryRun: boolean;
  /** Off by default: an import states who the customers are; it is not something they did. */
  triggerJourneys: boolean;
  source: ImportSource;
  /** Names the job's events when journeys are triggered, so a retried chunk re-sends the same ones. */
  jobId?: string;
};

/** The report kept with the job and printed by the CLI. `changed` is what a real run wrote (a dry run: would). */
export type ImportReport = {
  source: string;
  dryRun: boolean;
  records: number;
  accepted: number;
  refusedCount: number;
  /** The first refusals with their record number and reason (all are counted in `refusedCount`). */
  refused: RefusedRecord[];
  created: number;
  changed: number;
  unchanged: number;
  consent: { applied: number; olderKept: number; withoutDate: number };
  /** Customers sent through the journeys as an `identify` (only with `triggerJourneys`). */
  journeysTriggered: number;
};

export const MAX_LISTED_REFUSALS = 1000;
/** Records read, resolved and written together: one BatchGet of this size, writes side by side. */
export const IMPORT_CHUNK = 100;

export type ImportDeps = {
  profiles: ProfileStore;
  clock: Clock;
  /** Needed only with `triggerJourneys`: the identify events enter the live pipeline. */
  events?: Pick<EventStore, 'append'>;
  /** Told after each chunk how many records were read so far (the CLI's progress bar, the job's progress). */
  onProgress?: (report: ImportReport) => void | Promise<void>;
};

export function emptyReport(options: Pick<ImportOptions, 'source' | 'dryRun'>): ImportReport {
  return {
    source: options.source,
    dryRun: options.dryRun,
    records: 0,
    accepted: 0,
    refusedCount: 0,
    refused: [],
    created: 0,
    changed: 0,
    unchanged: 0,
    consent: { applied: 0, olderKept: 0, withoutDate: 0 },
    journeysTriggered: 0,
  };
}

/**
 * Imports every record of `records`. A record is refused (counted, listed with its number and reason) and
 * never stops the others; each customer's profile is written once per chunk under optimistic locking, so a live
 * event landing on the same profile meanwhile is re-read and kept. Running the same input twice writes nothing
 * the second time.
 */
export async function importCustomers(
  records: AsyncIterable<ImportedCustomer | RefusedRecord>,
  options: ImportOptions,
  deps: ImportDeps,
): Promise<ImportReport> {
  const report = emptyReport(options);
  let chunk: ImportedCustomer[] = [];
  const flush = async () => {
    if (chunk.length > 0) await importChunk(chunk, options, deps, report);
    chunk = [];
    await deps.onProgress?.(report);
  };
  for await (const record of records) {
    report.records++;
    if ('reason' in record) refuse(report, record);
    else chunk.push(record);
    if (chunk.length >= IMPORT_CHUNK) await flush();
  }
  await flush();
  // Rows refused while reading and rows refused by the job are found at different moments; list them in file order.
  report.refused.sort((a, b) => a.record - b.record);
  return report;
}

function refuse(report: ImportReport, refusal: RefusedRecord): void {
  report.refusedCount++;
  if (report.refused.length < MAX_LISTED_REFUSALS) report.refused.push(refusal);
}

/** Adds one chunk to the report; exported so the AWS path (one SQS message per chunk) runs the same code. */
export async function importChunk(
  customers: ImportedCustomer[],
  options: ImportOptions,
  deps: ImportDeps,
  report: ImportReport,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  const byUser = new Map<UserKey, ImportedCustomer[]>();
  for (const c of customers) {
    const key = knownUserKey(c.userId);
    const list = byUser.get(key);
    if (list) list.push(c);
    else byUser.set(key, [c]);
  }
  const prefetched = await deps.profiles.getMany([...byUser.keys()]);
  const triggered: StoredEvent[] = [];
  const settle = (records: ImportedCustomer[], found: Found, outcome: CustomerOutcome) => {
    for (const r of outcome.refused) refuse(report, r);
    report.accepted += outcome.accepted;
    report.consent.applied += outcome.consent.applied;
    report.consent.olderKept += outcome.consent.olderKept;
    report.consent.withoutDate += outcome.consent.withoutDate;
    if (outcome.accepted === 0) return;
    if (!outcome.changed) report.unchanged++;
    else {
      report.changed++;
      if (!found) report.created++;
      if (options.triggerJourneys) triggered.push(identifyOf(outcome.profile, records.at(-1)!, options, now));
    }
  };

  // First every customer is planned on the profiles read together, and the changed ones are written together.
  // A key read together and not found is a new customer; only a merge's target, not read together, is read alone.
  const read = async (key: UserKey) => (byUser.has(key) ? prefetched.get(key) : deps.profiles.get(key));
  const planned = await Promise.all(
    [...byUser].map(async ([userKey, records]) => {
      const found = await findProfile(userKey, read);
      return { userKey, records, found, outcome: planCustomer(found, userKey, records, now) };
    }),
  );
  const together: typeof planned = [];
  const oneByOne: typeof planned = [];
  const targets = new Set<UserKey>();
  for (const plan of planned) {
    const target = plan.outcome.profile.userKey;
    // Two ids of one merged customer write one profile: the second is planned again on what the first wrote.
    if (plan.outcome.changed && targets.has(target)) oneByOne.push(plan);
    else {
      if (plan.outcome.changed) targets.add(target);
      together.push(plan);
    }
  }
  const writes = together.filter((p) => p.outcome.changed);
  const answers =
    options.dryRun || writes.length === 0
      ? []
      : await deps.profiles.writeMany(
          writes.map((p) => ({ profile: p.outcome.profile, expectedVersion: p.found?.version ?? 0, tombstones: [] })),
        );
  const conflicted = new Set(writes.filter((_, i) => answers[i] === 'conflict'));
  for (const plan of together) {
    if (conflicted.has(plan)) oneByOne.push(plan);
    else settle(plan.records, plan.found, plan.outcome);
  }

  // A live event wrote one of them meanwhile (or two ids met in one profile): read it again, apply the records on top.
  await Promise.all(
    oneByOne.map(async ({ userKey, records }) => {
      let refused: { found: Found; outcome: CustomerOutcome; write: ProfileWrite } | undefined;
      for (let attempt = 2; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
        let found: Found = await findProfile(userKey, (key) => deps.profiles.get(key));
        let outcome = planCustomer(found, userKey, records, now);
        // A write answered "conflict" may be our own: the SDK retried a put whose first answer was lost, and the
        // retry found the version the first had written. Then it is counted as the write it was, not unchanged.
        const ours =
          refused !== undefined &&
          found?.version === refused.write.expectedVersion + 1 &&
          canonicalJson(found.profile) === canonicalJson(refused.write.profile);
        if (ours && refused) ({ found, outcome } = refused);
        else {
          const write: ProfileWrite | undefined = outcome.changed
            ? { profile: outcome.profile, expectedVersion: found?.version ?? 0, tombstones: [] }
            : undefined;
          if (!options.dryRun && write && (await deps.profiles.write(write)) === 'conflict') {
            refused = { found, outcome, write };
            continue;
          }
        }
        settle(records, found, outcome);
        return;
      }
      throw new ProfileConflictError(`profile of ${userKey} kept changing during ${MAX_WRITE_ATTEMPTS} attempts`);
    }),
  );
  if (triggered.length > 0 && !options.dryRun) {
    if (!deps.events) throw new TypeError('triggerJourneys needs the event store');
    await deps.events.append(triggered);
    report.journeysTriggered += triggered.length;
  }
}

type Found = Awaited<ReturnType<typeof findProfile>>;

type CustomerOutcome = {
  profile: Profile;
  changed: boolean;
  accepted: number;
  refused: RefusedRecord[];
  consent: { applied: number; olderKept: number; withoutDate: number };
};

/** The records of one customer in file order, applied one after the other to one working profile. */
function planCustomer(
  found: { profile: Profile; version: number } | undefined,
  userKey: UserKey,
  records: ImportedCustomer[],
  now: string,
): CustomerOutcome {
  const start = found?.profile ?? newProfile(userKey, records[0].statedAt ?? now);
  let profile = start;
  const outcome: CustomerOutcome = {
    profile,
    changed: false,
    accepted: 0,
    refused: [],
    consent: { applied: 0, olderKept: 0, withoutDate: 0 },
  };
  for (const record of records) {
    const applied = applyImportedCustomer(profile, record, now);
    if (applied.kind === 'refused') {
      outcome.refused.push(applied.refusal);
      continue;
    }
    outcome.accepted++;
    profile = applied.profile;
    if (applied.changed) outcome.changed = true;
    outcome.consent.applied += applied.consent.applied;
    outcome.consent.olderKept += applied.consent.olderKept;
    outcome.consent.withoutDate += applied.consent.withoutDate;
  }
  // A customer listed twice whose later row undoes the earlier one ends as they started: nothing to write.
  const same = (a: Profile, b: Profile) =>
    JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
  if (outcome.changed && records.length > 1 && same(profile, start)) {
    profile = start;
    outcome.changed = false;
  }
  outcome.profile = profile;
  if (!found && outcome.accepted > 0) outcome.changed = true;
  return outcome;
}

/** The `identify` a triggered import sends through the live pipeline: journeys see the customer as if they had identified. */
function identifyOf(profile: Profile, last: ImportedCustomer, options: ImportOptions, now: string): StoredEvent {
  const messageId = `import-${options.jobId ?? options.source}-${last.record}`;
  return {
    userKey: profile.userKey,
    sk: `${now}#${messageId}`,
    type: 'identify',
    messageId,
    userId: profile.userId,
    traits: { ...profile.traits },
    timestamp: now,
    clientTimestamp: now,
    receivedAt: now,
    writeKeyId: `import:${options.source}`,
  };
}

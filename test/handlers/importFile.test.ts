// The import-file and import-chunk workers on DynamoDB Local and the local file store: S3's notifications as
// SQS delivers them (a test event, a repeat, a crash half-way), chunks applied once, a missing file retried, a
// cancelled import's file and chunks left alone.

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSBatchResponse } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFileKey } from '../../functions/adapters/aws/S3ImportFiles.js';
import { LocalImportFiles, s3Notification } from '../../functions/adapters/local/LocalImportFiles.js';
import { sqsEvent } from '../../functions/adapters/local/LocalQueue.js';
import { knownUserKey } from '../../functions/core/events/userKey.js';
import { type CsvMapping, csvMappingSchema, mappingFromHeaders } from '../../functions/core/imports/csvMapping.js';
import {
  cancelImport,
  type ImportChunk,
  importProgress,
  startImport,
} from '../../functions/core/imports/importJobs.js';
import { createImportChunksHandler } from '../../functions/handlers/importChunks.js';
import { createImportFileHandler } from '../../functions/handlers/importFile.js';
import { context } from '../support/awsEvents.js';
import { fixedClock, freshTables, type TestTables } from '../support/tables.js';

const clock = fixedClock('2026-12-01T00:00:00.000Z');
let t: TestTables;
let dir: string;
let files: LocalImportFiles;
const queued: (ImportChunk & { jobId: string })[] = [];
let readFile: ReturnType<typeof createImportFileHandler>;
let applyChunks: ReturnType<typeof createImportChunksHandler>;

beforeAll(async () => {
  t = await freshTables({ clock });
  dir = mkdtempSync(join(tmpdir(), 'retain-import-files-'));
  files = new LocalImportFiles(dir, 'test-secret', clock);
  readFile = createImportFileHandler({
    imports: t.adapters.imports,
    importFiles: files,
    importChunks: { send: async (jobId, chunk) => void queued.push({ jobId, ...chunk }) },
  });
  applyChunks = createImportChunksHandler({ ...t.adapters, clock });
});

const notify = async (...bodies: unknown[]) =>
  (await readFile(
    sqsEvent(
      'import-files',
      bodies.map((body, i) => ({ body, messageId: `m${i}` })),
      1,
    ),
    context(),
  )) as SQSBatchResponse;

async function uploadJob(csv: string, mapping?: CsvMapping) {
  const { job } = await startImport(
    { source: 'csv', dryRun: false, triggerJourneys: false, mapping, upload: { encoding: 'auto' } },
    'test',
    { ...t.adapters, clock, importFiles: files },
  );
  writeFileSync(join(dir, job.id), csv);
  return job;
}

describe('import-file worker', () => {
  it('ignores S3’s test event and keys outside the prefix, and queues a file’s chunks once however often S3 notifies', async () => {
    expect(await notify({ Service: 'Amazon S3', Event: 's3:TestEvent' }, s3Notification('elsewhere/x'))).toEqual({
      batchItemFailures: [],
    });
    const job = await uploadJob('id,email\nw-1,w1@example.com\nw-2,w2@example.com\n');
    expect(await notify(s3Notification(importFileKey(job.id)))).toEqual({ batchItemFailures: [] });
    expect(queued.filter((c) => c.jobId === job.id)).toHaveLength(1);
    const stored = await t.adapters.imports.get(job.id);
    expect(stored?.upload).toMatchObject({ status: 'read', chunks: 1 });
    expect(stored?.mapping).toMatchObject({ userId: 'id', email: 'email' });
    // A repeated notification (the file already read and deleted) queues nothing more and does not fail.
    expect(await notify(s3Notification(importFileKey(job.id)))).toEqual({ batchItemFailures: [] });
    expect(queued.filter((c) => c.jobId === job.id)).toHaveLength(1);

    const { state, report } = await progressAfterApplying(job.id);
    expect(state).toBe('done');
    expect(report).toMatchObject({ records: 2, accepted: 2, created: 2 });
  });

  it('reads the file with the mapping the job was started with, not the one its headers suggest', async () => {
    // The headers suggest member_id for the user id; the marketer said the shop's code is, and left member_id out.
    const csv = 'code,member_id,mail,grade\nw-9,old-1,w9@example.com,gold\n';
    expect(mappingFromHeaders(['code', 'member_id', 'mail', 'grade']).userId).toBe('member_id');
    const mapping = csvMappingSchema.parse({ userId: 'code', email: 'mail', traits: { tier: 'grade' } });
    const job = await uploadJob(csv, mapping);
    expect(await notify(s3Notification(importFileKey(job.id)))).toEqual({ batchItemFailures: [] });
    expect((await t.adapters.imports.get(job.id))?.mapping).toEqual(mapping);
    const [chunk] = queued.filter((c) => c.jobId === job.id);
    expect(chunk.records).toEqual([
      expect.objectContaining({ record: 2, userId: 'w-9', email: 'w9@example.com', traits: { tier: 'gold' } }),
    ]);
    const { report } = await progressAfterApplying(job.id);
    expect(report).toMatchObject({ records: 1, accepted: 1, created: 1 });
    expect(await t.adapters.profiles.get(knownUserKey('w-9'))).toMatchObject({
      kind: 'profile',
      profile: { traits: { tier: 'gold' } },
    });
    expect(await t.adapters.profiles.get(knownUserKey('old-1'))).toBeUndefined();
  });

  it('reads again a file a crash left half-read, and the chunk worker applies a repeated chunk once', async () => {
    const job = await uploadJob('id,email\nw-3,w3@example.com\n');
    await t.adapters.imports.updateUpload(job.id, { encoding: 'auto', status: 'reading', chunks: 1 });
    expect(await notify(s3Notification(importFileKey(job.id)))).toEqual({ batchItemFailures: [] });
    const chunk = queued.find((c) => c.jobId === job.id)!;
    const twice = sqsEvent(
      'import-chunks',
      [
        { body: chunk, messageId: 'a' },
        { body: chunk, messageId: 'b' },
      ],
      1,
    );
    expect(await applyChunks(twice, context())).toEqual({ batchItemFailures: [] });
    const progress = await importProgress(job.id, t.adapters);
    expect(progress).toMatchObject({ chunks: 1, state: 'done' });
    expect(progress.report).toMatchObject({ records: 1, created: 1 });
  });

  it('fails the message when the file cannot be fetched (retried, then the DLQ), and a chunk that is not one', async () => {
    const { job } = await startImport(
      { source: 'csv', dryRun: false, triggerJourneys: false, upload: { encoding: 'auto' } },
      'test',
      { ...t.adapters, clock, importFiles: files },
    );
    expect(await notify(s3Notification(importFileKey(job.id)))).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm0' }],
    });
    expect((await t.adapters.imports.get(job.id))?.upload?.status).toBe('waiting-for-file');
    const bad = sqsEvent('import-chunks', [{ body: { jobId: job.id, records: 'x' }, messageId: 'p' }], 1);
    expect(await applyChunks(bad, context())).toEqual({ batchItemFailures: [{ itemIdentifier: 'p' }] });
  });

  it('queues nothing of a file whose import was cancelled before it was read, and deletes the file', async () => {
    const job = await uploadJob('id,email\nx-1,x1@example.com\n');
    const stopped = await cancelImport(job.id, 'test', { ...t.adapters, clock });
    expect(stopped).toMatchObject({
      state: 'cancelled',
      job: { cancelled: { at: clock.now().toISOString(), by: 'test' } },
    });
    expect(await notify(s3Notification(importFileKey(job.id)))).toEqual({ batchItemFailures: [] });
    expect(queued.filter((c) => c.jobId === job.id)).toHaveLength(0);
    expect(existsSync(join(dir, job.id))).toBe(false);
    expect((await importProgress(job.id, t.adapters)).state).toBe('cancelled');
  });

  it('drops, without failing, the queued chunks of an import cancelled while they waited', async () => {
    const job = await uploadJob('id,email\nx-2,x2@example.com\n');
    expect(await notify(s3Notification(importFileKey(job.id)))).toEqual({ batchItemFailures: [] });
    await cancelImport(job.id, 'test', { ...t.adapters, clock });
    const { chunks, report, state } = await progressAfterApplying(job.id);
    expect({ chunks, applied: report.records, state }).toEqual({ chunks: 0, applied: 0, state: 'cancelled' });
    expect(await t.adapters.profiles.get(knownUserKey('x-2'))).toBeUndefined();
  });
});

async function progressAfterApplying(jobId: string) {
  const chunks = queued.filter((c) => c.jobId === jobId).map((body, i) => ({ body, messageId: `c${i}` }));
  expect(await applyChunks(sqsEvent('import-chunks', chunks, 1), context())).toEqual({ batchItemFailures: [] });
  return importProgress(jobId, t.adapters);
}

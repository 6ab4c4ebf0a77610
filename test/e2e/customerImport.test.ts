// `retain import customers` against a local runtime: the report, the profiles, a re-run that changes nothing,
// a dry run that writes nothing; and the import routes' own answers (a chunk sent twice, a 400 naming the field,
// the latest imports listed).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

const ADMIN_TOKEN = 'rat_import-e2e';
const WRITE_KEY = 'wk_import-e2e';
const FILE = 'test/fixtures/imports/customers-cli.csv';
let runtime: LocalRuntime;
let admin: ReturnType<typeof testClient>['admin'];

beforeAll(async () => {
  ({ runtime } = await startTestRuntime({ adminToken: ADMIN_TOKEN, writeKey: WRITE_KEY }));
  ({ admin } = testClient(runtime, { adminToken: ADMIN_TOKEN, writeKey: WRITE_KEY }));
});

afterAll(async () => {
  await runtime?.stop();
});

const run = async (args: string[]) => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
    RETAIN_URL: runtime.url,
    RETAIN_ADMIN_TOKEN: ADMIN_TOKEN,
  };
  delete env.PORT;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/cli.ts', ...args], {
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
};

const profileOf = async (userId: string) => admin('GET', `/admin/v1/profiles/${encodeURIComponent(userId)}`);

describe('retain import customers', { timeout: 240_000 }, () => {
  it('imports a Korean CSV, reports the bad row and the undated consent, and changes nothing the second time', async () => {
    const first = await run(['import', 'customers', FILE]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${FILE}: 4 rows, import imp-`);
    expect(first.stdout).toContain('userId ← 회원ID, email ← 이메일, phone ← 휴대폰');
    expect(first.stdout).toContain('accepted 3, refused 1; profiles created 3, changed 3, unchanged 0');
    expect(first.stdout).toContain('consent: 4 applied, 0 older than the one on record (kept), 1 without a date');
    expect(first.stdout).toContain('row 4 phone: not a valid phone number');

    const minjun = await profileOf('kr-101');
    expect(minjun.status).toBe(200);
    expect(JSON.stringify(minjun.body)).toContain('김민준');
    expect(JSON.stringify(minjun.body)).toContain('minjun@example.com');
    expect((await profileOf('kr-103')).status).toBe(404);

    const second = JSON.parse((await run(['import', 'customers', FILE, '--json'])).stdout);
    expect(second.report).toMatchObject({ records: 4, accepted: 3, refusedCount: 1, created: 0, changed: 0 });
    expect(second.report.unchanged).toBe(3);
    expect(second.report.refused).toEqual([{ record: 4, field: 'phone', reason: 'not a valid phone number' }]);
  });

  it('writes nothing on a dry run, and reports what it would do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-import-'));
    const file = join(dir, 'new.csv');
    writeFileSync(file, 'member_id,email,grade\nkr-201,a@example.com,VIP\nkr-202,b@example.com,일반\n');
    const dry = JSON.parse((await run(['import', 'customers', file, '--dry-run', '--json'])).stdout);
    expect(dry.job.dryRun).toBe(true);
    expect(dry.report).toMatchObject({ dryRun: true, records: 2, accepted: 2, created: 2, changed: 2 });
    expect((await profileOf('kr-201')).status).toBe(404);
  });

  it('lets the later row of a customer listed twice win, and refuses a file broken at its end before writing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-import-'));
    const file = join(dir, 'twice.csv');
    const middle = Array.from({ length: 600 }, (_, i) => `kr-${3000 + i},m${i}@example.com`).join('\n');
    writeFileSync(file, `member_id,email\nkr-2999,first@example.com\n${middle}\nkr-2999,later@example.com\n`);
    const result = JSON.parse((await run(['import', 'customers', file, '--json'])).stdout);
    expect(result.report).toMatchObject({ records: 602, accepted: 602, created: 601 });
    expect(JSON.stringify((await profileOf('kr-2999')).body)).toContain('later@example.com');

    const broken = join(dir, 'broken-at-end.csv');
    writeFileSync(
      broken,
      `member_id,email\nkr-3700,a@example.com\n${middle.replaceAll('kr-3', 'kr-4')}\nkr-3701,"unclosed\n`,
    );
    const refused = await run(['import', 'customers', broken]);
    expect(refused.code).toBe(1);
    expect((await profileOf('kr-3700')).status).toBe(404);
  });

  it('refuses a file it cannot read with a non-zero exit code, in one line', async () => {
    const missing = await run(['import', 'customers', 'test/fixtures/imports/no-such.csv']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('retain: test/fixtures/imports/no-such.csv: no such file');
    const broken = join(mkdtempSync(join(tmpdir(), 'retain-import-')), 'broken.csv');
    writeFileSync(broken, 'member_id,email\nkr-501,"unclosed@example.com\n');
    const unreadable = await run(['import', 'customers', broken]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unreadable.stderr).toContain('not a CSV file this reader can read');
  });
});

describe('retain import pinpoint-endpoints', { timeout: 240_000 }, () => {
  it('brings a Pinpoint export (gzipped, as S3 has it) to profiles with channels and honest consent, twice without change', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'retain-pinpoint-')), 'endpoints.gz');
    writeFileSync(file, gzipSync(readFileSync('test/fixtures/pinpoint/endpoints/project-export.jsonl')));
    const args = [
      'import',
      'pinpoint-endpoints',
      file,
      '--advertising',
      'adConsent',
      '--advertising-date',
      'adConsentDate',
    ];
    const first = await run(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${file}: 12 lines, import imp-`);
    expect(first.stdout).toContain('accepted 9, refused 3; profiles created 5, changed 5, unchanged 0');
    expect(first.stdout).toContain('line 9 Id:');
    expect(first.stdout).toContain('line 11 phone: not a valid phone number');
    expect(first.stdout).toContain('OptOut NONE: 4 subscribed to their channel with advertising consent unknown');
    expect(first.stdout).toContain('advertising consent from adConsent: 3 granted, 0 refused');
    expect(first.stdout).toContain('channels Retain does not deliver to (traits imported only): VOICE 1');

    const minjun = (await profileOf('kr-1')).body;
    const text = JSON.stringify(minjun);
    expect(text).toContain('minjun.kim@example.com');
    expect(text).toContain('+821012345678');
    expect(minjun.consent.email).toMatchObject({ granted: true, source: 'pinpoint' });
    expect(minjun.consent.sms).toMatchObject({ granted: false, source: 'pinpoint' });
    expect(minjun.consent.push).toMatchObject({ granted: true });
    expect(minjun.consent.advertising).toMatchObject({ granted: true, at: '2025-11-20T00:00:00.000Z' });
    expect(minjun.channels.push).toEqual([expect.objectContaining({ platform: 'apns' })]);
    const seoyeon = (await profileOf('kr-2')).body;
    expect(seoyeon.channels.email).toBeUndefined(); // the inactive endpoint's address
    expect(seoyeon.consent.advertising).toBeUndefined(); // OptOut NONE proves no advertising consent
    const hajun = (await profileOf('kr-3')).body;
    expect(hajun.consent.email).toBeUndefined(); // no EffectiveDate: not proof
    const jiwoo = (await profileOf('kr-4')).body;
    expect(jiwoo.consent.email).toMatchObject({ granted: false });
    expect((await profileOf('ep-anon-1')).status).toBe(200);

    const second = JSON.parse((await run([...args, '--json'])).stdout);
    expect(second.report).toMatchObject({ records: 12, accepted: 9, refusedCount: 3, created: 0, changed: 0 });
    expect(second.endpoints).toMatchObject({ endpoints: 10, inactive: 2, optedOut: 2 });
  });
});

describe('the import routes', { timeout: 120_000 }, () => {
  it('applies a chunk once: sent again it answers the first report and the job does not count it twice', async () => {
    const started = await admin('POST', '/admin/v1/imports', { source: 'csv' });
    expect(started.status).toBe(201);
    const records = `/admin/v1/imports/${started.body.job.id}/records`;
    const chunk = {
      records: [{ record: 2, userId: 'kr-301', email: 'c@example.com', traits: { 이름: '정하준' } }],
      refused: [{ record: 3, field: '회원ID', reason: 'no userId' }],
    };
    const once = await admin('POST', records, chunk);
    expect(once.status).toBe(200);
    expect(once.body).toMatchObject({ first: 2, last: 3, repeated: false });
    expect(once.body.report).toMatchObject({ records: 2, accepted: 1, refusedCount: 1, created: 1 });
    const twice = await admin('POST', records, chunk);
    expect(twice.body).toMatchObject({ first: 2, repeated: true, report: once.body.report });
    const progress = await admin('GET', `/admin/v1/imports/${started.body.job.id}`);
    expect(progress.body).toMatchObject({ chunks: 1, lastRecord: 3 });
    expect(progress.body.report).toMatchObject({ records: 2, accepted: 1, refusedCount: 1, created: 1, changed: 1 });
    expect(progress.body.report.refused).toEqual([{ record: 3, field: '회원ID', reason: 'no userId' }]);
  });

  it('stops an import: later chunks answer 409 and write nothing, what was applied stays, twice answers the first', async () => {
    const started = await admin('POST', '/admin/v1/imports', { source: 'csv' });
    const id = started.body.job.id;
    const records = `/admin/v1/imports/${id}/records`;
    const first = { records: [{ record: 2, userId: 'kr-351' }], refused: [] };
    expect((await admin('POST', records, first)).status).toBe(200);

    const stopped = await admin('POST', `/admin/v1/imports/${id}/cancel`);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ state: 'cancelled', chunks: 1, report: { created: 1 } });
    expect(stopped.body.job.cancelled.by).toBe(started.body.job.createdBy);
    const again = await admin('POST', `/admin/v1/imports/${id}/cancel`);
    expect(again.body.job.cancelled).toEqual(stopped.body.job.cancelled);

    const later = await admin('POST', records, { records: [{ record: 3, userId: 'kr-352' }], refused: [] });
    expect(later.status).toBe(409);
    expect(JSON.stringify(later.body)).toContain(`import ${id} was cancelled at ${stopped.body.job.cancelled.at}`);
    expect((await profileOf('kr-352')).status).toBe(404);
    expect((await profileOf('kr-351')).status).toBe(200);
    // The chunk applied before answers as it did: a client's retry after a lost answer still learns its report.
    expect((await admin('POST', records, first)).body).toMatchObject({ repeated: true });
    expect((await admin('GET', `/admin/v1/imports/${id}`)).body).toMatchObject({ state: 'cancelled', chunks: 1 });
  });

  it('answers 400 naming the field of a bad record, 404 for an import that does not exist', async () => {
    const started = await admin('POST', '/admin/v1/imports', {});
    const bad = await admin('POST', `/admin/v1/imports/${started.body.job.id}/records`, {
      records: [{ record: 2, userId: 'kr-401', consents: [{ channel: 'fax', granted: true, source: 'csv' }] }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('body.records.0.consents.0.channel');
    const empty = await admin('POST', `/admin/v1/imports/${started.body.job.id}/records`, { records: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('body.records');
    const source = await admin('POST', '/admin/v1/imports', { source: 'excel' });
    expect(source.body.error.field).toBe('body.source');
    const missing = await admin('POST', '/admin/v1/imports/imp-none/records', {
      records: [{ record: 2, userId: 'x' }],
    });
    expect(missing.status).toBe(404);
  });
});

describe('an uploaded import file', { timeout: 240_000 }, () => {
  /** Starts an upload job, PUTs the bytes to its URL, and polls until the job is done or failed. */
  const uploadAndWait = async (body: Record<string, unknown>, bytes: Buffer) => {
    const started = await admin('POST', '/admin/v1/imports', { ...body, upload: true });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.job.upload).toMatchObject({ status: 'waiting-for-file' });
    expect(started.body.upload).toMatchObject({ method: 'PUT' });
    const put = await fetch(started.body.upload.url, { method: 'PUT', body: bytes });
    expect(put.status).toBe(200);
    const path = `/admin/v1/imports/${started.body.job.id}`;
    for (let i = 0; i < 600; i++) {
      const progress = await admin('GET', path);
      if (progress.body.state === 'done' || progress.body.state === 'failed') return { ...progress.body, started };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${path} never finished`);
  };

  it('reads a CSV PUT to the upload URL into the same report as the CLI, and the file is gone afterwards', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `kr-${7000 + i},c${i}@example.com,${i % 2 ? 'VIP' : '일반'}`);
    rows.push('kr-8999,not-an-address,VIP');
    // Listed twice, a thousand rows apart: the later row wins, as a reader of the file expects.
    rows.push('kr-7000,later@example.com,VIP');
    const bytes = Buffer.from(`회원ID,이메일,등급\n${rows.join('\n')}\n`);
    const first = await uploadAndWait({ source: 'csv' }, bytes);
    expect(first.state).toBe('done');
    // 1,199 customers listed once in three chunks, the customer listed twice in a fourth.
    expect(first.job.upload).toMatchObject({ status: 'read', encoding: 'auto', chunks: 4 });
    expect(first.job.mapping).toMatchObject({ userId: '회원ID' });
    expect(first.report).toMatchObject({ records: 1202, accepted: 1201, refusedCount: 1, created: 1200 });
    expect(JSON.stringify((await profileOf('kr-7000')).body)).toContain('later@example.com');
    expect(first.report.refused).toEqual([{ record: 1202, field: 'email', reason: expect.any(String) }]);
    expect(JSON.stringify((await profileOf('kr-7001')).body)).toContain('c1@example.com');
    // The file held addresses: it is deleted once its chunks are queued.
    const leftover = runtime.adapters.importFiles.read(first.job.id)[Symbol.asyncIterator]().next();
    await expect(leftover).rejects.toThrow(/ENOENT/);
    // The same file uploaded again for a new job changes nothing.
    const again = await uploadAndWait({ source: 'csv' }, bytes);
    expect(again.report).toMatchObject({ records: first.report.records, created: 0, changed: 0 });
    expect(again.report.unchanged).toBe(first.report.created); // counted by customer, not by row
  });

  it('is what `retain import customers --upload` does: the file PUT whole, the job followed to its report', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'retain-upload-')), 'members.csv');
    writeFileSync(file, 'member_id,email,grade\nkr-901,u1@example.com,VIP\nkr-902,,일반\n,u3@example.com,VIP\n');
    const result = await run(['import', 'customers', file, '--upload', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { job, report } = JSON.parse(result.stdout);
    expect(job.upload).toMatchObject({ status: 'read', chunks: 1 });
    expect(report).toMatchObject({ records: 3, accepted: 2, refusedCount: 1, created: 2 });
    expect((await profileOf('kr-902')).status).toBe(200);
    const broken = join(mkdtempSync(join(tmpdir(), 'retain-upload-')), 'broken.csv');
    writeFileSync(broken, 'member_id,email\nkr-903,"unclosed@example.com\n');
    const refused = await run(['import', 'customers', broken, '--upload']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${broken}: not a CSV file this reader can read`);
  });

  it('brings a gzipped Pinpoint export through the upload with its endpoint tally', async () => {
    const bytes = gzipSync(readFileSync('test/fixtures/pinpoint/endpoints/project-export.jsonl'));
    const done = await uploadAndWait(
      { source: 'pinpoint', advertising: { attribute: 'adConsent', dateAttribute: 'adConsentDate' } },
      bytes,
    );
    expect(done.state).toBe('done');
    expect(done.report).toMatchObject({ records: 12, accepted: 9, refusedCount: 3 });
    expect(done.job.upload.endpoints).toMatchObject({ endpoints: 10, inactive: 2, optedOut: 2, advertisingGranted: 3 });
  });

  it('fails a file it cannot read and changes no profile, and refuses a PUT whose signature is wrong', async () => {
    const broken = Buffer.from('member_id,email\nkr-601,a@example.com\nkr-602,"unclosed@example.com\n');
    const failed = await uploadAndWait({ source: 'csv' }, broken);
    expect(failed.state).toBe('failed');
    expect(failed.job.upload.error).toContain('not a CSV file this reader can read');
    expect(failed.chunks).toBe(0);
    // The first row was readable, but a file broken anywhere writes nothing.
    expect((await profileOf('kr-601')).status).toBe(404);

    const started = await admin('POST', '/admin/v1/imports', { upload: true });
    const forged = started.body.upload.url.replace(/signature=[^&]+/, 'signature=forged');
    expect((await fetch(forged, { method: 'PUT', body: 'x' })).status).toBe(403);
    const other = started.body.upload.url.replace(started.body.job.id, 'imp-other');
    expect((await fetch(other, { method: 'PUT', body: 'x' })).status).toBe(403);
    // Nothing is left to stop of an import that failed, or that is done.
    const done = await uploadAndWait({ source: 'csv' }, Buffer.from('member_id\nkr-603\n'));
    for (const { job } of [failed, done]) {
      const refused = await admin('POST', `/admin/v1/imports/${job.id}/cancel`);
      expect(refused.status).toBe(409);
      expect(JSON.stringify(refused.body)).toContain('nothing is left to cancel');
    }
  });

  it('lists the latest imports newest first, each as its own progress answers it', async () => {
    const all = await admin('GET', '/admin/v1/imports?limit=50');
    expect(all.status).toBe(200);
    const { imports } = all.body;
    // Every job this file started, the CLI's and the uploads', waiting ones too.
    expect(imports.length).toBeGreaterThanOrEqual(10);
    const created = imports.map((i: { job: { createdAt: string } }) => i.job.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    for (const listed of imports.slice(0, 3)) {
      const one = await admin('GET', `/admin/v1/imports/${listed.job.id}`);
      expect(listed).toEqual(one.body);
    }
    // The test before: a file that failed, a URL never used, a file imported.
    expect(imports.slice(0, 3).map((i: { state: string }) => i.state)).toEqual(['done', 'waiting-for-file', 'failed']);

    const two = await admin('GET', '/admin/v1/imports?limit=2');
    expect(two.body.imports.map((i: { job: { id: string } }) => i.job.id)).toEqual(
      imports.slice(0, 2).map((i: { job: { id: string } }) => i.job.id),
    );
    const refused = await admin('GET', '/admin/v1/imports?limit=500');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('limit');
  });
});

// `retain admin-token create` against DynamoDB Local: the token is printed once and only its hash is stored.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../functions/core/credentials/credential.js';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

// The CLI runs as a child process (seconds on a busy machine): the bound is room, not a deadline.
describe('retain admin-token create', { timeout: 120_000 }, () => {
  it('issues an admin token, prints it once and stores only its hash', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'bin/cli.ts',
        'admin-token',
        'create',
        '--table',
        t.tables.config,
        '--endpoint',
        t.endpoint,
        '--name',
        'first',
      ],
      { env: { ...process.env, AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1' } },
    );
    const token = /: (rat_\S+)/.exec(stdout)?.[1];
    expect(token).toMatch(/^rat_[A-Za-z0-9_-]{43}$/);
    const stored = await t.adapters.credentials.findByHash(hashSecret(token!));
    expect(stored).toMatchObject({ kind: 'admin-token', name: 'first' });
    expect(JSON.stringify(await t.adapters.credentials.list('admin-token'))).not.toContain(token!);
  });
});

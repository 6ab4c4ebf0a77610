import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../functions/core/credentials/credential.js';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

describe('retain admin-token create', () => {
  it('issues an admin token, prints it once and stores only its hash', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'bin/cli.ts', 'admin-token', 'create', '--table', t.tables.config, '--endpoint', t.endpoint, '--name', 'first'],
      { env: { ...process.env, AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1' } },
    );
    const token = /: (rat_\S+)/.exec(stdout)?.[1];
    expect(token).toMatch(/^rat_[A-Za-z0-9_-]{43}$/);
    const stored = await t.adapters.credentials.findByHash(hashSecret(token!));
    expect(stored).toMatchObject({ kind: 'admin-token', name: 'first' });
    expect(JSON.stringify(await t.adapters.credentials.list('admin-token'))).not.toContain(token!);
  });
});

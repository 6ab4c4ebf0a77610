import { describe, expect, it, vi } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { handlerEntries } from '../../lib/bundling.js';
import { plausibleEnvironment } from '../support/plausibleEnvironment.js';
import { fakeSecretsManager } from '../support/fakeSecretsManager.js';

// The test waits for two child processes to finish; the bound is only room for a busy machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

// Vitest smooths over CommonJS interop that Node's own ESM loader does not: `npm start` runs under tsx, so
// every module it loads is imported here the same way.
describe('npm start', () => {
  it("loads the local runtime and initialises every Lambda entry under Node's ESM loader (tsx)", async () => {
    // Each entry parses its environment and builds its ports at import; the senders' also read their secrets.
    const secrets = await fakeSecretsManager();
    try {
      const modules = ['functions/local/runtime.ts', 'demo/syntheticShop.ts', ...Object.values(handlerEntries)];
      const script = `Promise.all(${JSON.stringify(modules)}.map((m) => import('./' + m))).then(() => console.log('loaded'))`;
      const env = {
        ...process.env,
        ...plausibleEnvironment(),
        NODE_NO_WARNINGS: '1',
        AWS_REGION: 'ap-northeast-2',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      };
      const { stdout } = await promisify(execFile)('npx', ['tsx', '--eval', script], { env });
      expect(stdout.trim()).toBe('loaded');
    } finally {
      secrets.close();
    }
    const help = await promisify(execFile)('npx', ['tsx', 'bin/cli.ts', 'report', '--help']);
    expect(help.stdout).toContain('message-funnel, ab-test');
  }, 180_000);

  it('stops a Lambda entry at cold start when a variable it needs is missing', async () => {
    const { BROADCAST_QUEUE_URL: _missing, ...env } = plausibleEnvironment();
    const script = `import('./${handlerEntries.broadcastFanOut}').then(() => console.log('loaded'))`;
    const run = promisify(execFile)('npx', ['tsx', '--eval', script], {
      env: { ...process.env, ...env, NODE_NO_WARNINGS: '1' },
    });
    await expect(run).rejects.toThrow(/Retain is misconfigured: BROADCAST_QUEUE_URL/);
  }, 120_000);
});

describe('npm start with its default data directory', () => {
  it('keeps the tables under a relative .retain path across restarts', async () => {
    // `npm start` passes `.retain`, relative to the checkout; DynamoDB Local runs elsewhere, so this once failed.
    const dataDir = `.retain-test-${process.pid}`;
    const start = () =>
      new Promise<string>((done, fail) => {
        const child = spawn('npx', ['tsx', 'functions/local/main.ts'], {
          env: { ...process.env, PORT: '0', RETAIN_DATA_DIR: dataDir, NODE_NO_WARNINGS: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (c) => {
          out += String(c);
          if (out.includes('admin token') && out.includes('data ')) {
            child.kill('SIGTERM');
          }
        });
        child.stderr.on('data', (c) => (err += String(c)));
        child.on('exit', (code) =>
          out.includes('Retain is running') ? done(out) : fail(new Error(`${code}: ${err}`)),
        );
      });
    try {
      const first = await start();
      expect(first).toContain('(generated: shown only now, keep it)');
      const second = await start();
      // The token was kept in the tables under .retain: the second start finds it instead of making another.
      expect(second).toContain('the one shown at first start');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

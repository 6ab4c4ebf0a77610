import { describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { handlerEntries } from '../../lib/bundling.js';

// The test waits for two child processes to finish; the bound is only room for a busy machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

// Vitest smooths over CommonJS interop that Node's own ESM loader does not: `npm start` runs under tsx, so
// every module it loads is imported here the same way.
describe('npm start', () => {
  it('loads the local runtime and every handler under Node\'s ESM loader (tsx)', async () => {
    // Every Lambda entry (each builds its handler from the environment the test setup gave this process).
    const modules = ['functions/local/runtime.ts', 'demo/syntheticShop.ts', ...Object.values(handlerEntries)];
    const script = `Promise.all(${JSON.stringify(modules)}.map((m) => import('./' + m))).then(() => console.log('loaded'))`;
    const { stdout } = await promisify(execFile)('npx', ['tsx', '--eval', script], { env: { ...process.env, NODE_NO_WARNINGS: '1', ARCHIVE_DIR: '/tmp/retain-startup-archive' } });
    expect(stdout.trim()).toBe('loaded');
    const help = await promisify(execFile)('npx', ['tsx', 'bin/cli.ts', 'report', '--help']);
    expect(help.stdout).toContain('message-funnel, ab-test');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime } from '../support/localRuntime.js';

const ADMIN_TOKEN = 'rat_cli-e2e';
let runtime: LocalRuntime;

beforeAll(async () => {
  ({ runtime } = await startTestRuntime({ adminToken: ADMIN_TOKEN }));
});

afterAll(async () => {
  await runtime?.stop();
});

const retain = async (...args: string[]) => {
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'bin/cli.ts', ...args], {
    env: { ...process.env, RETAIN_URL: runtime.url, RETAIN_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  return stdout;
};

describe('retain journeys (journeys as code)', () => {
  it('applies a journey file, lists it, applies an edit as a new version, and simulates it', async () => {
    expect(await retain('journeys', 'apply', '-f', 'examples/journeys/cart-abandonment.json', '--activate')).toContain(
      'cart-abandonment: version 1 is live',
    );
    expect(await retain('journeys', 'apply', '-f', 'examples/journeys/cart-abandonment.json')).toContain('saved version 2 (active)');
    const list = await retain('journeys', 'list');
    expect(list).toMatch(/cart-abandonment.*active.*1.*2/);
    const simulation = await retain('journeys', 'simulate', 'cart-abandonment', '-f', 'examples/simulations/cart-buyer.json');
    expect(simulation).toContain('cart-abandonment v2: converted (goal Order Completed)');
    expect(simulation).not.toContain('send ');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    // Activation renders every send step first: without its templates the journey does not go live.
    const refused = await retain('journeys', 'apply', '-f', 'examples/journeys/cart-abandonment.json', '--activate').catch((error: { stderr: string }) => error.stderr);
    expect(refused).toContain('✗ samples: ');
    expect(refused).toContain('no template has the id cart-reminder');
    for (const file of ['cart-reminder-email.json', 'cart-reminder.json']) {
      const res = await fetch(`${runtime.url}/admin/v1/templates`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: readFileSync(`examples/templates/${file}`, 'utf8'),
      });
      expect(res.status).toBe(201);
    }
    expect(await retain('journeys', 'apply', '-f', 'examples/journeys/cart-abandonment.json', '--activate')).toContain(
      'cart-abandonment: version 2 is live',
    );
    expect(await retain('journeys', 'apply', '-f', 'examples/journeys/cart-abandonment.json')).toContain('saved version 3 (active)');
    const list = await retain('journeys', 'list');
    expect(list).toMatch(/cart-abandonment.*active.*2.*3/);
    const simulation = await retain('journeys', 'simulate', 'cart-abandonment', '-f', 'examples/simulations/cart-buyer.json');
    expect(simulation).toContain('cart-abandonment v3: converted (goal Order Completed)');
    expect(simulation).not.toContain('send ');
  });
});

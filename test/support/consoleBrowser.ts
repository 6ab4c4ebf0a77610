// What a console browser test needs around the browser: a production build, one origin for the app and the
// runtime, and axe-core's serious findings. (test/browser/console.test.ts still has its own copies of these.)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { Page } from 'playwright-core';
import { createConsoleAssets } from '../../functions/local/consoleAssets.js';

export const CHROMIUM = '/usr/bin/chromium';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Builds what ships into a fresh folder. Vitest sets NODE_ENV=test, which would bundle React's development build. */
export async function buildConsole(): Promise<string> {
  const distDir = mkdtempSync(join(tmpdir(), 'retain-console-'));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: 'console/vite.config.ts',
      logLevel: 'warn',
      build: { outDir: distDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return distDir;
}

/** Serves the built console and passes every other path to the runtime: one origin, as `npm start` will. */
export async function startConsoleServer(distDir: string, apiUrl: string) {
  const assets = createConsoleAssets({ distDir, apiUrl: '', local: true });
  const http = createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    const asset = assets(method, req.url ?? '/');
    if (asset) {
      res.writeHead(asset.status, asset.headers);
      res.end(method === 'HEAD' ? undefined : asset.body);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers.set(name, value);
    }
    try {
      const answer = await fetch(`${apiUrl}${req.url}`, {
        method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding'].includes(name)) out[name] = value;
      });
      res.writeHead(answer.status, out);
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`console test server: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => http.close(() => done())),
  };
}

/** axe-core in the page: the serious and critical violations, with where they are. */
export async function seriousViolations(target: Page) {
  // Page-side code is passed as strings: the test compiles without the DOM library.
  if (!(await target.evaluate<boolean>('"axe" in window'))) await target.addScriptTag({ content: axeSource });
  type Violation = { id: string; impact: string; nodes: { target: string[]; failureSummary?: string }[] };
  const result = await target.evaluate<{ violations: Violation[] }>('axe.run()');
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
    }));
}

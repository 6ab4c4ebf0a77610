// The console's static files under /console/: content types, the app-route fallback, config.json, no way out of dist.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConsoleAssets } from '../../functions/local/consoleAssets.js';

let root: string;
let dist: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'retain-assets-'));
  dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'outside dist');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('consoleAssets', () => {
  const assets = () => createConsoleAssets({ distDir: dist, apiUrl: 'https://api.example.com', local: true });

  it('leaves every path outside /console to the caller', () => {
    expect(assets()('GET', '/admin/v1/journeys')).toBeUndefined();
    expect(assets()('GET', '/consoles')).toBeUndefined();
    expect(assets()('GET', '/')).toBeUndefined();
  });

  it('serves hashed assets with their content type, cached for good', () => {
    const js = assets()('GET', '/console/assets/index-abc123.js')!;
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.body.toString()).toBe('console.log(1)');
    const css = assets()('GET', '/console/assets/index-abc123.css')!;
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(assets()('GET', '/console/assets/gone-123.js')!.status).toBe(404);
  });

  it('answers every app route with index.html, never cached, and /console with a redirect', () => {
    for (const path of ['/console/', '/console/customers/u-1', '/console/journeys/welcome?x=1']) {
      const page = assets()('GET', path)!;
      expect(page.status, path).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body.toString()).toContain('<title>console</title>');
    }
    expect(assets()('GET', '/console')).toMatchObject({ status: 308, headers: { location: '/console/' } });
  });

  it('writes config.json with the API URL', () => {
    const config = assets()('GET', '/console/config.json')!;
    expect(config.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(config.body.toString())).toEqual({ apiUrl: 'https://api.example.com', local: true });
  });

  it('never serves a file outside dist, however the path is spelled', () => {
    for (const path of [
      '/console/../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/..%2fsecret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
      '/console/%2e%2e%5csecret.txt',
    ]) {
      const answer = assets()('GET', path);
      expect(answer?.body.toString() ?? '', path).not.toContain('outside dist');
    }
    expect(assets()('GET', '/console/%E0%A4%A')!.status).toBe(400);
  });

  it('is read-only, and says how to build when nothing is built', () => {
    expect(assets()('POST', '/console/')!.status).toBe(405);
    const unbuilt = createConsoleAssets({ distDir: join(root, 'nothing') })('GET', '/console/')!;
    expect(unbuilt.status).toBe(503);
    expect(unbuilt.body.toString()).toContain('npm run console:build');
  });
});

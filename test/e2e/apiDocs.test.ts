import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApi, type HttpHandler } from '../../functions/local/apiGateway.js';
import { openApiDocument } from '../../functions/routes/openApi.js';

let server: Server;
let base: string;

beforeAll(async () => {
  const unused: HttpHandler = async () => ({ statusCode: 500 });
  server = createLocalApi({
    handlers: { ingest: unused, admin: unused, unsubscribe: unused, 'provider-reports': unused },
    adminAuthorizer: async () => ({ isAuthorized: false, context: {} }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the local API reference at /docs', () => {
  it('renders the generated document with Swagger UI served from node_modules, no CDN', async () => {
    const page = await fetch(`${base}/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)) {
      const res = await fetch(`${base}${asset[1]}`);
      expect(res.status, asset[1]).toBe(200);
      expect((await res.arrayBuffer()).byteLength, asset[1]).toBeGreaterThan(100);
    }
    const document = await (await fetch(`${base}/docs/openapi.json`)).json();
    expect(document).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect((await fetch(`${base}/docs/../package.json`)).status).toBe(404);
  });
});

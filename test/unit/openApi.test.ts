import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../functions/core/errors.js';
import { routeContracts } from '../../functions/routes.js';
import { openApiDocument } from '../../functions/routes/openApi.js';
import { OPENAPI_FILE, openApiFileText } from '../../functions/routes/writeOpenApiFile.js';

type Operation = {
  operationId: string;
  security: Record<string, string[]>[];
  responses: Record<string, unknown>;
} & Record<string, unknown>;

describe('the OpenAPI document', () => {
  const document = openApiDocument() as unknown as {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: {
      schemas: Record<string, { properties: Record<string, unknown> }>;
      securitySchemes: Record<string, { type: string; scheme?: string }>;
    };
  };
  const operations = Object.values(document.paths).flatMap((item) => Object.values(item));

  it('is OpenAPI 3.1 with one operation per route of the table', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(operations.map((o) => o.operationId).sort()).toEqual(Object.keys(routeContracts).sort());
  });

  it('names the write key (HTTP Basic) on ingest and the Bearer admin token on admin routes', () => {
    expect(document.components.securitySchemes.writeKey).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [name, route] of Object.entries(routeContracts)) {
      const op = document.paths[route.path][route.method.toLowerCase()];
      if (route.auth === 'write-key') expect(op.security, name).toEqual([{ writeKey: [] }]);
      if (route.auth === 'admin-token') {
        expect(op.security, name).toEqual([{ adminToken: [] }]);
        expect(op['x-retain-permission'], name).toBeTruthy();
      }
    }
  });

  it('documents the error body with every stable code and what it means', () => {
    const error = document.components.schemas.Error.properties.error as {
      properties: { code: { enum: string[]; description: string } };
    };
    expect([...error.properties.code.enum].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, meaning] of Object.entries(ERROR_CODES))
      expect(error.properties.code.description).toContain(`- \`${code}\`: ${meaning}`);
    for (const op of operations) expect(op.responses, op.operationId).toHaveProperty('default');
  });

  it('is committed as docs/openapi.json, up to date with the route table (npm run openapi rewrites it)', () => {
    expect(
      readFileSync(OPENAPI_FILE, 'utf8') === openApiFileText(),
      'docs/openapi.json is stale: run npm run openapi',
    ).toBe(true);
  });
});

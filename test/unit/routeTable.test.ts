import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { adminImplementationGroups, type AdminDeps } from '../../functions/handlers/admin.js';
import { adminContract, routeKey, routes } from '../../functions/routes.js';

describe('the route table', () => {
  it('gives every route a summary, a description, and a described, typed success answer', () => {
    for (const route of routes) {
      const key = routeKey(route);
      expect(route.summary.length, key).toBeGreaterThan(3);
      expect(route.description.length, key).toBeGreaterThan(10);
      expect(route.tag, key).toBeTruthy();
      const successes = Object.entries(route.responses).filter(([status]) => Number(status) < 300);
      expect(successes.length, key).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(route.responses)) {
        expect(response.description.length, `${key} ${status}`).toBeGreaterThan(3);
        if (status !== '204') expect(response.schema, `${key} ${status} has no schema`).toBeInstanceOf(z.ZodType);
      }
    }
  });

  it('has a schema for every path parameter and no other, and one entry per method and path', () => {
    for (const route of routes) {
      const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(Object.keys(route.params?.shape ?? {}).sort(), routeKey(route)).toEqual(inPath);
    }
    expect(new Set(routes.map(routeKey)).size).toBe(routes.length);
  });

  it('puts a permission on every admin route, and only there', () => {
    for (const route of routes) {
      if (route.target === 'admin')
        expect((route as { permission?: string }).permission, routeKey(route)).toMatch(/^[a-z-]+:[a-z-]+$/);
      else expect(route).not.toHaveProperty('permission');
      expect(route.target === 'admin', routeKey(route)).toBe(route.auth === 'admin-token');
    }
  });

  it('attaches exactly one implementation to every admin route, and none to anything else', () => {
    const groups = adminImplementationGroups({} as AdminDeps, new Logger({ logLevel: 'SILENT' }));
    const names = Object.values(groups).flatMap((group) => Object.keys(group));
    expect(names.length, 'a route implemented in two modules').toBe(new Set(names).size);
    expect(names.sort()).toEqual(Object.keys(adminContract).sort());
  });
});

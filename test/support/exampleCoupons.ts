// Loads the coupon pools the example templates hand out (examples/coupons), as a team would before sending them.
import { readdirSync, readFileSync } from 'node:fs';
import type { testClient } from './localRuntime.js';

type Admin = ReturnType<typeof testClient>['admin'];

/** Creates each example pool and generates its codes; the ids, for the tests that report on them. */
export async function postExampleCoupons(admin: Admin): Promise<string[]> {
  const ids: string[] = [];
  for (const file of readdirSync('examples/coupons')) {
    const { pool, codes } = JSON.parse(readFileSync(`examples/coupons/${file}`, 'utf8'));
    const created = await admin('POST', '/admin/v1/coupons', pool);
    if (created.status !== 200) throw new Error(`coupon pool ${pool.id}: ${JSON.stringify(created.body)}`);
    const loaded = await admin('POST', `/admin/v1/coupons/${pool.id}/codes`, codes);
    if (loaded.status !== 200) throw new Error(`codes of ${pool.id}: ${JSON.stringify(loaded.body)}`);
    ids.push(pool.id);
  }
  return ids;
}

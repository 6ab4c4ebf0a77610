// What an approval is of: the target's definition and every template it would send, as one hash.

import { definitionHash } from '../audit/auditEntry.js';
import type { TemplateStore } from '../delivery/ports.js';

/**
 * The hash an approval request keeps. Templates are in it because they are edited apart from the broadcast or
 * journey that sends them: a changed subject line or offer is a different message from the one the approver saw,
 * so an edit to any of them voids the request as an edit to the target does. A missing template counts as `null`,
 * so creating it later changes the hash too.
 */
export async function approvedContentHash(
  target: unknown,
  templateIds: string[],
  templates: Pick<TemplateStore, 'get'>,
): Promise<string> {
  const ids = [...new Set(templateIds)].sort();
  const found = await Promise.all(ids.map(async (id) => [id, (await templates.get(id)) ?? null] as const));
  return definitionHash({ target, templates: Object.fromEntries(found) });
}

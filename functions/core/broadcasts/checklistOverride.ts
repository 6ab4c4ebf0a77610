// When a failing checklist may be overridden: a reason given, and under an approval only for what the approver saw.

import type { ChecklistItem } from './broadcast.js';

/**
 * `force` with a reason. `covers` is set when the override comes from an approval request: the items that failed
 * when it was asked, the only ones its approver saw being overridden.
 */
export type ChecklistOverride = { reason: string; covers?: string[] };

/** The failing items the override does not answer for: any of them still refuses the send or activation. */
export function uncoveredFailures(failing: ChecklistItem[], force: ChecklistOverride | undefined): ChecklistItem[] {
  if (!force) return failing;
  const { covers } = force;
  return covers ? failing.filter((i) => !covers.includes(i.id)) : [];
}

// Sending a broadcast: the checklist runs once more, and the fan-out starts only if every item passes or
// the marketer overrides it with a reason, which is kept on the broadcast. In two halves, so an approval can
// record its decision between the check and the start.

import { ConflictError } from '../errors.js';
import { wavesOf, type Broadcast, type Checklist, type ChecklistItem } from './broadcast.js';
import { uncoveredFailures, type ChecklistOverride } from './checklistOverride.js';
import type { BroadcastPages, BroadcastStore } from './ports.js';
import { startBroadcast } from './runBroadcast.js';
import { runChecklist, type ChecklistDeps } from './runChecklist.js';

export type SendDeps = ChecklistDeps & {
  broadcasts: BroadcastStore;
  pages: BroadcastPages;
};

export type SendOutcome =
  | { kind: 'refused'; failing: ChecklistItem[] }
  | { kind: 'started'; broadcast: Broadcast; waves: Date[] };

/** The checklist of a send, saved on the broadcast; `refused` lists what the override does not answer for. */
export type CheckedSend = {
  broadcast: Broadcast;
  checklist: Checklist;
  zones: Set<string>;
  failing: ChecklistItem[];
  refused: ChecklistItem[];
};

export async function checkSend(
  broadcast: Broadcast,
  force: ChecklistOverride | undefined,
  deps: SendDeps,
  now: Date,
): Promise<CheckedSend> {
  const { definition } = broadcast;
  if (broadcast.status !== 'draft')
    throw new ConflictError(`broadcast ${definition.id} is already ${broadcast.status}`);
  const { checklist, zones } = await runChecklist(broadcast, deps, now);
  await deps.broadcasts.saveCheck(definition.id, checklist);
  const failing = checklist.items.filter((i) => !i.passed);
  return { broadcast, checklist, zones, failing, refused: uncoveredFailures(failing, force) };
}

/** Starts the fan-out of a send `checkSend` let through. */
export async function startSend(
  { broadcast, zones, failing }: CheckedSend,
  force: ChecklistOverride | undefined,
  deps: SendDeps,
  now: Date,
): Promise<Broadcast & { waves: Date[] }> {
  const { definition } = broadcast;
  if (zones.size === 0) zones.add((await deps.settings.get()).timezone);
  const forced =
    failing.length > 0 && force
      ? { forced: { reason: force.reason, at: now.toISOString(), failing: failing.map((i) => i.id) } }
      : {};
  const waves = wavesOf(definition, zones, now);
  const started = await startBroadcast({ ...broadcast, ...forced }, waves, deps, now);
  if (!started)
    throw new ConflictError(`broadcast ${definition.id} changed while it was checked; check and send again`);
  return { ...started, waves };
}

export async function sendBroadcast(
  broadcast: Broadcast,
  force: ChecklistOverride | undefined,
  deps: SendDeps,
  now: Date,
): Promise<SendOutcome> {
  const checked = await checkSend(broadcast, force, deps, now);
  if (checked.refused.length > 0) return { kind: 'refused', failing: checked.refused };
  const { waves, ...started } = await startSend(checked, force, deps, now);
  return { kind: 'started', broadcast: started, waves };
}

// Sending a broadcast: the checklist runs once more, and the fan-out starts only if every item passes or
// the marketer overrides it with a reason, which is kept on the broadcast.

import { ConflictError } from '../errors.js';
import { wavesOf, type Broadcast, type ChecklistItem } from './broadcast.js';
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

export async function sendBroadcast(
  broadcast: Broadcast,
  force: { reason: string } | undefined,
  deps: SendDeps,
  now: Date,
): Promise<SendOutcome> {
  const { definition } = broadcast;
  if (broadcast.status !== 'draft')
    throw new ConflictError(`broadcast ${definition.id} is already ${broadcast.status}`);
  const { checklist, zones } = await runChecklist(broadcast, deps, now);
  await deps.broadcasts.saveCheck(definition.id, checklist);
  const failing = checklist.items.filter((i) => !i.passed);
  if (failing.length > 0 && !force) return { kind: 'refused', failing };
  if (zones.size === 0) zones.add((await deps.settings.get()).timezone);
  const forced =
    failing.length > 0 && force
      ? { forced: { reason: force.reason, at: now.toISOString(), failing: failing.map((i) => i.id) } }
      : {};
  const waves = wavesOf(definition, zones, now);
  const started = await startBroadcast({ ...broadcast, ...forced }, waves, deps, now);
  if (!started)
    throw new ConflictError(`broadcast ${definition.id} changed while it was checked; check and send again`);
  return { kind: 'started', broadcast: started, waves };
}

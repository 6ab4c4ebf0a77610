// A broadcast draft: what it must reference to be saved, and how a new one starts.

import type { TemplateStore } from '../delivery/ports.js';
import { InvalidRequestError } from '../errors.js';
import type { SegmentStore } from '../segments/ports.js';
import { variantsOf, type Broadcast, type BroadcastDefinition } from './broadcast.js';
import { templatesOf } from './runBroadcast.js';

/** A draft names a segment and templates that exist: a typo found at send time would be found too late. */
export async function checkDraftReferences(
  definition: BroadcastDefinition,
  deps: { segments: Pick<SegmentStore, 'get'>; templates: Pick<TemplateStore, 'get'> },
): Promise<void> {
  if (!(await deps.segments.get(definition.segment))) {
    throw new InvalidRequestError(`no segment has the id ${definition.segment}`, 'body.segment');
  }
  const templates = await templatesOf(definition, deps.templates);
  variantsOf(definition).forEach((v, i) => {
    if (!templates.has(v.template)) {
      const field = definition.variants ? `body.variants.${i}.template` : 'body.template';
      throw new InvalidRequestError(`no template has the id ${v.template}`, field);
    }
  });
}

export function newDraft(definition: BroadcastDefinition, now: Date): Broadcast {
  const at = now.toISOString();
  const progress = { chains: 0, chainsDone: 0, pages: 0, enqueued: 0, heldOut: 0 };
  return { definition, status: 'draft', createdAt: at, updatedAt: at, progress };
}

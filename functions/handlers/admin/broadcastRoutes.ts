// Admin route implementations for broadcasts: drafts, the pre-send checklist, test sends to the seed list,
// send (409 unless every item passes or `force` gives a reason; 202 with an approval request when approvals are on)
// and cancel. The use cases are in core.

import { approvedContentHash } from '../../core/approvals/approvedContent.js';
import { variantsOf, type Broadcast } from '../../core/broadcasts/broadcast.js';
import type { ChecklistOverride } from '../../core/broadcasts/checklistOverride.js';
import { checkDraftReferences, newDraft } from '../../core/broadcasts/draft.js';
import { runChecklist } from '../../core/broadcasts/runChecklist.js';
import { checkSend, sendBroadcast, startSend, type CheckedSend } from '../../core/broadcasts/sendBroadcast.js';
import { testSendBroadcast, type TestSender } from '../../core/broadcasts/testSend.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import { checklistRefusal, contentCheckDeps } from './contentChecks.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';
import { requestApproval } from './approvalRequests.js';
import { assertSameId } from './parse.js';
import { previewMessage, sendTestMessage, type PreviewedMessage } from './previewMessage.js';

/** Sending a broadcast now: what the send route does with approvals off, and what an approval does. */
export function broadcastSending(deps: AdminDeps, delivery?: DeliveryDeps) {
  const checklistDeps = { ...deps, ...contentCheckDeps(deps, delivery), pages: deps.broadcastPages };
  const started = (broadcast: Broadcast & { waves: Date[] }) =>
    jsonResponse(202, { ...broadcast, waves: broadcast.waves.map((w) => w.toISOString()) });
  return {
    /** What an approval is of: the definition and its templates (an edit changes it; a test send or a check not). */
    contentHash: (broadcast: Broadcast) =>
      approvedContentHash(
        broadcast.definition,
        variantsOf(broadcast.definition).map((v) => v.template),
        deps.templates,
      ),
    send: async (broadcast: Broadcast, force: ChecklistOverride | undefined) => {
      const outcome = await sendBroadcast(broadcast, force, checklistDeps, deps.clock.now());
      if (outcome.kind === 'refused')
        return checklistRefusal(outcome.failing, 'fix them, or send with force and a reason');
      return started({ ...outcome.broadcast, waves: outcome.waves });
    },
    /** The two halves of `send`, for an approval to record its decision between them. */
    check: (broadcast: Broadcast, force: ChecklistOverride | undefined) =>
      checkSend(broadcast, force, checklistDeps, deps.clock.now()),
    start: async (checked: CheckedSend, force: ChecklistOverride | undefined) =>
      started(await startSend(checked, force, checklistDeps, deps.clock.now())),
  };
}

export function broadcastRoutes(deps: AdminDeps, delivery?: DeliveryDeps) {
  const { broadcasts, clock } = deps;
  const stored = async (id: string) => {
    const broadcast = await broadcasts.get(id);
    if (!broadcast) throw new NotFoundError(`no broadcast has the id ${id}`);
    return broadcast;
  };
  const checklistDeps = { ...deps, ...contentCheckDeps(deps, delivery) };
  const seedSender: TestSender<PreviewedMessage> = {
    render: (template, { category, variant, channel }) =>
      previewMessage(template, { category, variant }, deps, delivery, { channel }),
    send: async (message, to, ref) => sendTestMessage(message, to, ref, delivery, await deps.settings.get()),
  };

  const sending = broadcastSending(deps, delivery);

  return {
    createBroadcast: async ({ body: definition }) => {
      await checkDraftReferences(definition, deps);
      const broadcast = newDraft(definition, clock.now());
      if ((await broadcasts.create(broadcast)) === 'exists') {
        const message = `broadcast ${definition.id} exists; PUT /admin/v1/broadcasts/${definition.id} changes it`;
        throw new InvalidRequestError(message, 'body.id');
      }
      return jsonResponse(201, broadcast);
    },
    listBroadcasts: async () => jsonResponse(200, { broadcasts: await broadcasts.list() }),
    getBroadcast: async ({ params: { id } }) => {
      const broadcast = await stored(id);
      return jsonResponse(200, { ...broadcast, lastCheck: await broadcasts.lastCheck(broadcast.definition.id) });
    },
    updateBroadcast: async ({ params: { id }, body: definition }) => {
      assertSameId(definition.id, id);
      await checkDraftReferences(definition, deps);
      const current = await stored(definition.id);
      const next = { ...current, definition, updatedAt: clock.now().toISOString() };
      if (!(await broadcasts.save(next, ['draft']))) {
        throw new ConflictError(`broadcast ${definition.id} is ${current.status}; only a draft can be changed`);
      }
      return jsonResponse(200, next);
    },
    deleteBroadcast: async ({ params: { id } }) => {
      const result = await broadcasts.delete(id);
      if (result === 'not-found') throw new NotFoundError(`no broadcast has the id ${id}`);
      if (result === 'not-draft') throw new ConflictError(`broadcast ${id} was sent; cancel it instead`);
      return { statusCode: 204 };
    },
    checkBroadcast: async ({ params: { id } }) => {
      const broadcast = await stored(id);
      const { checklist } = await runChecklist(broadcast, checklistDeps, clock.now());
      await broadcasts.saveCheck(broadcast.definition.id, checklist);
      return jsonResponse(200, checklist);
    },
    testSendBroadcast: async ({ params: { id } }) => {
      const broadcast = await stored(id);
      return jsonResponse(200, await testSendBroadcast(broadcast, { ...deps, sender: seedSender }, clock.now()));
    },
    sendBroadcast: async ({ params: { id }, body: { force }, actor }) => {
      const broadcast = await stored(id);
      if (!(await deps.settings.get()).approvals.broadcastSend) return sending.send(broadcast, force);
      if (broadcast.status !== 'draft') throw new ConflictError(`broadcast ${id} is already ${broadcast.status}`);
      // The checklist runs first: a send it refuses is not worth a second person's time.
      const { checklist } = await runChecklist(broadcast, checklistDeps, clock.now());
      await broadcasts.saveCheck(broadcast.definition.id, checklist);
      const failing = checklist.items.filter((i) => !i.passed);
      if (failing.length > 0 && !force) return checklistRefusal(failing, 'fix them, or send with force and a reason');
      const request = {
        kind: 'broadcastSend' as const,
        target: { id: broadcast.definition.id },
        contentHash: await sending.contentHash(broadcast),
        checklist: checklist.items,
        force,
      };
      return jsonResponse(202, { approval: await requestApproval(request, actor, deps) });
    },
    cancelBroadcast: async ({ params: { id } }) => {
      await stored(id);
      // Requests already on a channel queue are dropped by the sender when they come up.
      if (!(await broadcasts.cancel(id, clock.now().toISOString())))
        throw new ConflictError(`broadcast ${id} is already cancelled`);
      return jsonResponse(200, await stored(id));
    },
  } satisfies SomeImplementations;
}

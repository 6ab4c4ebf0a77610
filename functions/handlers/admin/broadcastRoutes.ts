// Admin route implementations for broadcasts: drafts, the pre-send checklist, test sends to the seed list,
// send (409 unless every item passes or `force` gives a reason) and cancel. The use cases are in core.

import { checkDraftReferences, newDraft } from '../../core/broadcasts/draft.js';
import { runChecklist } from '../../core/broadcasts/runChecklist.js';
import { sendBroadcast } from '../../core/broadcasts/sendBroadcast.js';
import { testSendBroadcast, type TestSender } from '../../core/broadcasts/testSend.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import { checklistRefusal, contentCheckDeps } from './contentChecks.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';
import { assertSameId } from './parse.js';
import { previewMessage, sendTestMessage, type PreviewedMessage } from './previewMessage.js';

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
    sendBroadcast: async ({ params: { id }, body: { force } }) => {
      const broadcast = await stored(id);
      const sendDeps = { ...checklistDeps, pages: deps.broadcastPages };
      const outcome = await sendBroadcast(broadcast, force, sendDeps, clock.now());
      if (outcome.kind === 'refused')
        return checklistRefusal(outcome.failing, 'fix them, or send with force and a reason');
      return jsonResponse(202, { ...outcome.broadcast, waves: outcome.waves.map((w) => w.toISOString()) });
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

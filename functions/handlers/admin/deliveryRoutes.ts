// Admin route implementations for delivery: templates (with preview and test send), settings, a customer's
// message log.

import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { messageRef } from '../../core/delivery/messageRef.js';
import { knownUserKey } from '../../core/events/userKey.js';
import { findProfile } from '../../core/profiles/updateProfiles.js';
import { InvalidRequestError, NotFoundError } from '../../core/errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';
import { assertSameId } from './parse.js';
import { previewMessage, sendTestMessage } from './previewMessage.js';

export function deliveryRoutes(deps: AdminDeps, delivery?: DeliveryDeps) {
  const { templates, settings, clock } = deps;
  const stored = async (id: string) => {
    const template = await templates.get(id);
    if (!template) throw new NotFoundError(`no template has the id ${id}`);
    return template;
  };

  return {
    createTemplate: async ({ body: template }) => {
      if (await templates.get(template.id)) {
        const message = `template ${template.id} exists; PUT /admin/v1/templates/${template.id} changes it`;
        throw new InvalidRequestError(message, 'body.id');
      }
      await templates.put(template);
      return jsonResponse(201, template);
    },
    listTemplates: async () => jsonResponse(200, { templates: await templates.list() }),
    getTemplate: async ({ params: { id } }) => jsonResponse(200, await stored(id)),
    updateTemplate: async ({ params: { id }, body: template }) => {
      assertSameId(template.id, id);
      await templates.put(template);
      return jsonResponse(200, template);
    },
    deleteTemplate: async ({ params: { id } }) => {
      if (!(await templates.delete(id))) throw new NotFoundError(`no template has the id ${id}`);
      return { statusCode: 204 };
    },
    previewTemplate: async ({ params: { id }, body }) => {
      const message = await previewMessage(await stored(id), body, deps, delivery);
      const { request: _request, scope: _scope, sources: _sources, ...rendered } = message;
      return jsonResponse(200, rendered);
    },
    testSendTemplate: async ({ params: { id }, body }) => {
      if (!delivery) throw new InvalidRequestError('this function cannot send');
      const rendered = await previewMessage(await stored(id), body, deps, delivery);
      const idempotencyKey = `test:${clock.now().toISOString()}`;
      const ref = messageRef({ userKey: knownUserKey(body.userId ?? 'test-send'), idempotencyKey });
      return jsonResponse(200, await sendTestMessage(rendered, body.to, ref, delivery, await settings.get()));
    },
    getSettings: async () => jsonResponse(200, await settings.get()),
    updateSettings: async ({ body: next }) => {
      await settings.put(next);
      return jsonResponse(200, next);
    },
    listProfileMessages: async ({ params: { userId }, query: { limit } }) => {
      const userKey = knownUserKey(userId);
      const found = await findProfile(userKey, (k) => deps.profiles.get(k));
      const keys = found ? [found.profile.userKey, ...found.profile.mergedKeys] : [userKey];
      const messages = (await Promise.all(keys.map((k) => deps.messages.list(k, limit)))).flat();
      messages.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
      return jsonResponse(200, { messages: messages.slice(0, limit) });
    },
  } satisfies SomeImplementations;
}

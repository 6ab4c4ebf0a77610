// Admin routes for delivery: templates (with preview and test send), settings, a customer's message log.

import * as z from 'zod';
import type { Adapters } from '../../adapters/Adapters.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { messageRef } from '../../core/delivery/messageRef.js';
import { settingsSchema } from '../../core/delivery/settings.js';
import { templateSchema, type Template } from '../../core/delivery/template.js';
import { knownUserKey } from '../../core/events/userKey.js';
import { findProfile } from '../../core/profiles/updateProfiles.js';
import { InvalidRequestError, NotFoundError } from '../../core/errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminRoute } from './journeyRoutes.js';
import { assertSameId, parse } from './parse.js';
import { previewMessage, sendTestMessage, type PreviewInput } from './previewMessage.js';

const previewSchema = z
  .object({
    userId: z.string().min(1).optional(),
    variant: z.string().optional(),
    category: z.enum(['marketing', 'transactional']).default('marketing'),
    /** Stands in for the trigger event's properties (cart items, order). */
    event: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
const testSendSchema = previewSchema.extend({ to: z.string().min(3).max(4096) });
const messagesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export function deliveryRoutes(adapters: Adapters, delivery?: DeliveryDeps): Record<string, AdminRoute> {
  const { templates, settings, clock } = adapters;
  const idOf = (event: { pathParameters?: Record<string, string | undefined> }) => event.pathParameters?.id ?? '';
  const stored = async (id: string) => {
    const template = await templates.get(id);
    if (!template) throw new NotFoundError(`no template has the id ${id}`);
    return template;
  };

  const render = (template: Template, input: PreviewInput) => previewMessage(template, input, adapters, delivery);

  return {
    'POST /admin/v1/templates': async (event) => {
      const template = parse(templateSchema, event.jsonBody, 'body');
      if (await templates.get(template.id)) throw new InvalidRequestError(`template ${template.id} exists; PUT /admin/v1/templates/${template.id} changes it`, 'body.id');
      await templates.put(template);
      return jsonResponse(201, template);
    },
    'GET /admin/v1/templates': async () => jsonResponse(200, { templates: await templates.list() }),
    'GET /admin/v1/templates/{id}': async (event) => jsonResponse(200, await stored(idOf(event))),
    'PUT /admin/v1/templates/{id}': async (event) => {
      const template = parse(templateSchema, event.jsonBody, 'body');
      assertSameId(template.id, idOf(event));
      await templates.put(template);
      return jsonResponse(200, template);
    },
    'DELETE /admin/v1/templates/{id}': async (event) => {
      if (!(await templates.delete(idOf(event)))) throw new NotFoundError(`no template has the id ${idOf(event)}`);
      return { statusCode: 204 };
    },
    'POST /admin/v1/templates/{id}/preview': async (event) => {
      const input = parse(previewSchema, event.jsonBody ?? {}, 'body');
      const { request: _request, scope: _scope, sources: _sources, ...rendered } = await render(await stored(idOf(event)), input);
      return jsonResponse(200, rendered);
    },
    'POST /admin/v1/templates/{id}/test-send': async (event) => {
      if (!delivery) throw new InvalidRequestError('this function cannot send');
      const input = parse(testSendSchema, event.jsonBody, 'body');
      const rendered = await render(await stored(idOf(event)), input);
      const ref = messageRef({ userKey: knownUserKey(input.userId ?? 'test-send'), idempotencyKey: `test:${clock.now().toISOString()}` });
      return jsonResponse(200, await sendTestMessage(rendered, input.to, ref, delivery, await settings.get()));
    },
    'GET /admin/v1/settings': async () => jsonResponse(200, await settings.get()),
    'PUT /admin/v1/settings': async (event) => {
      const next = parse(settingsSchema, event.jsonBody, 'body');
      await settings.put(next);
      return jsonResponse(200, next);
    },
    'GET /admin/v1/profiles/{userId}/messages': async (event) => {
      const { limit } = parse(messagesQuery, event.queryStringParameters ?? {}, 'query');
      const userKey = knownUserKey(event.pathParameters?.userId ?? '');
      const found = await findProfile(userKey, (k) => adapters.profiles.get(k));
      const keys = found ? [found.profile.userKey, ...found.profile.mergedKeys] : [userKey];
      const messages = (await Promise.all(keys.map((k) => adapters.messages.list(k, limit)))).flat();
      messages.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
      return jsonResponse(200, { messages: messages.slice(0, limit) });
    },
  };
}

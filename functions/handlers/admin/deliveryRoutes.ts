// Admin routes for delivery: templates (with preview and test send), settings, a customer's message log.

import { z } from 'zod';
import type { Adapters } from '../../adapters/aws/environment.js';
import { markEmailAdvertisement, markPushAdvertisement } from '../../core/delivery/compliance.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { messageRef } from '../../core/delivery/messageRef.js';
import { renderEmail, renderPush, renderScope, renderSms } from '../../core/delivery/render.js';
import { fitTitle, markSmsAdvertisement, smsShape } from '../../core/delivery/sms.js';
import { brandMessageMarkingRefusal, renderKakao } from '../../core/delivery/kakao.js';
import { settingsSchema } from '../../core/delivery/settings.js';
import { contentFor, templateSchema, type Template } from '../../core/delivery/template.js';
import { signUnsubscribeToken } from '../../core/delivery/unsubscribeLink.js';
import { knownUserKey, type UserKey } from '../../core/events/userKey.js';
import { findProfile } from '../../core/profiles/updateProfiles.js';
import { InvalidRequestError, NotFoundError } from '../../errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminRoute } from './journeyRoutes.js';
import { assertSameId, parse } from './parse.js';

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

  /** The message exactly as a customer would get it, compliance included. */
  const render = async (template: Template, input: z.infer<typeof previewSchema>) => {
    const userKey: UserKey = knownUserKey(input.userId ?? 'preview');
    const profile = input.userId ? (await findProfile(userKey, (k) => adapters.profiles.get(k)))?.profile : undefined;
    if (input.userId && !profile) throw new NotFoundError(`no profile for ${input.userId}`);
    const request = { journeyId: 'preview', stepId: 'preview', variant: input.variant, idempotencyKey: `preview:${template.id}`, trigger: { event: 'Preview', properties: input.event } };
    const scope = renderScope(request, profile);
    const current = await settings.get();
    const marketing = input.category === 'marketing';
    if (template.channel === 'email') {
      const base = delivery?.unsubscribe.baseUrl ?? 'https://example.invalid';
      const token = delivery ? signUnsubscribeToken({ userKey, channel: 'email', messageId: request.idempotencyKey }, delivery.unsubscribe.secret) : 'preview';
      const unsubscribeUrl = `${base}/v1/unsubscribe?token=${token}`;
      let email = await renderEmail(contentFor(template, 'email', input.variant), scope);
      if (marketing) email = markEmailAdvertisement(email, current, { locale: profile?.locale, unsubscribeUrl });
      const headers: Record<string, string> = marketing
        ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {};
      return { channel: 'email' as const, email, headers, request };
    }
    if (template.channel === 'kakao') {
      const kakao = contentFor(template, 'kakao', input.variant);
      const rendered = await renderKakao(kakao, scope);
      const marking = kakao.kind === 'brand' ? brandMessageMarkingRefusal(kakao, current) : undefined;
      // A preview shows what would be refused, and why, instead of failing.
      return { channel: 'kakao' as const, kakao: { kind: kakao.kind, templateCode: kakao.templateCode, ...rendered, ...(marking ? { refusal: marking } : {}) }, request };
    }
    if (template.channel === 'sms') {
      const sms = await renderSms(contentFor(template, 'sms', input.variant), scope);
      const text = marketing ? markSmsAdvertisement(sms.text, current) : sms.text;
      const shape = smsShape(text, sms.imageUrl !== undefined);
      return { channel: 'sms' as const, sms: { ...sms, text, ...(sms.title && shape.type !== 'SMS' ? { title: fitTitle(sms.title) } : {}), ...shape }, request };
    }
    let push = await renderPush(contentFor(template, 'push', input.variant), scope);
    if (marketing) push = markPushAdvertisement(push, current, profile?.locale);
    return { channel: 'push' as const, push, request };
  };

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
      const { request: _request, ...rendered } = await render(await stored(idOf(event)), input);
      return jsonResponse(200, rendered);
    },
    'POST /admin/v1/templates/{id}/test-send': async (event) => {
      if (!delivery) throw new InvalidRequestError('this function cannot send');
      const input = parse(testSendSchema, event.jsonBody, 'body');
      const rendered = await render(await stored(idOf(event)), input);
      const ref = messageRef({ userKey: knownUserKey(input.userId ?? 'test-send'), idempotencyKey: `test:${clock.now().toISOString()}` });
      if (rendered.channel === 'email') {
        const current = await settings.get();
        const id = await delivery.mailer.send({
          from: current.email.from,
          to: input.to,
          subject: `[TEST] ${rendered.email.subject}`,
          html: rendered.email.html,
          text: rendered.email.text,
          headers: rendered.headers,
          messageRef: ref,
        });
        return jsonResponse(200, { sent: true, providerMessageId: id });
      }
      if (rendered.channel === 'kakao') throw new InvalidRequestError('test sends of KakaoTalk templates are not supported yet; preview them instead');
      if (rendered.channel === 'sms') {
        const current = await settings.get();
        const from = current.sms.from;
        if (!from || !current.sms.senderNumbers.includes(from)) throw new InvalidRequestError(`sender number ${from ?? '(none)'} is not registered; set sms.senderNumbers and sms.from in the settings`);
        const id = await delivery.messaging.sendSms({ from, to: input.to, type: rendered.sms.type, text: rendered.sms.text, title: rendered.sms.title, imageUrl: rendered.sms.imageUrl, messageRef: ref });
        return jsonResponse(200, { sent: true, providerMessageId: id });
      }
      const result = await delivery.push.send({ token: input.to, platform: input.to.length === 64 && /^[0-9a-f]+$/i.test(input.to) ? 'ios' : 'android' }, { ...rendered.push, messageRef: ref });
      return jsonResponse(200, result.status === 'sent' ? { sent: true, providerMessageId: result.id } : { sent: false, reason: 'invalid push token' });
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

// The table's admin routes for what is sent: templates with preview and test send, and the workspace settings.

import * as z from 'zod';
import type { ComposedMessage } from '../../core/delivery/composeMessage.js';
import { settingsSchema } from '../../core/delivery/settings.js';
import { templateSchema } from '../../core/delivery/template.js';
import { adminRoutes } from '../contract.js';
import { type Assert, idParams, type Same } from '../shapes.js';

const template = templateSchema.meta({ id: 'Template' });
const settings = settingsSchema.meta({ id: 'Settings' });

const previewInput = z
  .object({
    userId: z.string().min(1).optional().meta({ description: 'Render for this customer (otherwise a blank profile).' }),
    variant: z.string().optional(),
    category: z.enum(['marketing', 'transactional']).default('marketing'),
    event: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'Stands in for the trigger event’s properties (cart items, order).' }),
  })
  .strict();

const email = z.object({
  channel: z.literal('email'),
  email: z.object({
    from: z.string(),
    replyTo: z.string().optional(),
    subject: z.string(),
    preheader: z.string().optional(),
    html: z.string(),
    text: z.string(),
    headers: z.record(z.string(), z.string()),
  }),
});
const push = z.object({
  channel: z.literal('push'),
  push: z.object({
    title: z.string(),
    body: z.string(),
    deepLink: z.string().optional(),
    imageUrl: z.string().optional(),
  }),
});
const sms = z.object({
  channel: z.literal('sms'),
  sms: z.object({
    type: z.enum(['SMS', 'LMS', 'MMS']),
    bytes: z.number().meta({ description: 'The length as carriers count it (EUC-KR).' }),
    costClass: z.enum(['short', 'long', 'multimedia']),
    unsupported: z.array(z.string()).meta({ description: 'Characters a carrier cannot carry.' }),
    text: z.string(),
    title: z.string().optional(),
    imageUrl: z.string().optional(),
  }),
  from: z.string().optional(),
});
const kakaoPart = z.object({
  kind: z.enum(['alimtalk', 'brand']),
  templateCode: z.string(),
  brandType: z.enum(['text', 'image', 'wide', 'carousel']),
  buttons: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['WL', 'AL', 'BK', 'MD', 'DS']),
      linkMobile: z.string().optional(),
      linkPc: z.string().optional(),
    }),
  ),
  text: z.string().optional().meta({ description: 'Absent when the approved template could not be filled.' }),
  variables: z.record(z.string(), z.string()).optional(),
});
const kakao = z.object({
  channel: z.literal('kakao'),
  kakao: kakaoPart,
  from: z.string().optional(),
  channelId: z.string().optional(),
});
const composed = z.discriminatedUnion('channel', [email, push, sms, kakao]);

const refusals = z
  .array(z.object({ reason: z.string(), setting: z.string().optional() }))
  .meta({ description: 'Everything that stops this message (`setting`: the setting to fix); empty when it may go.' });
const rendered = z
  .discriminatedUnion('channel', [
    email.extend({ headers: z.record(z.string(), z.string()), refusals }),
    push.extend({ refusals }),
    sms.extend({ refusals }),
    kakao.extend({
      kakao: kakaoPart.extend({ refusal: z.string().optional().meta({ description: 'Why the content cannot go.' }) }),
      refusals,
    }),
  ])
  .meta({ id: 'RenderedMessage', description: 'The message exactly as it would go out on its channel.' });

// The schema above describes what the composer returns; this fails to compile when the domain type moves.
export type ResponseSchemasMatch = [Assert<Same<z.output<typeof composed>, ComposedMessage>>];

export const deliveryRoutes = adminRoutes({
  createTemplate: {
    method: 'POST',
    path: '/admin/v1/templates',
    permission: 'templates:write',
    tag: 'templates',
    summary: 'Create a template',
    description: 'An e-mail, push, SMS or KakaoTalk message in Liquid, with optional A/B variants.',
    body: template,
    responses: { 201: { description: 'The template.', schema: template } },
  },
  listTemplates: {
    method: 'GET',
    path: '/admin/v1/templates',
    permission: 'templates:read',
    tag: 'templates',
    summary: 'List templates',
    description: 'Every template.',
    responses: { 200: { description: 'The templates.', schema: z.object({ templates: z.array(template) }) } },
  },
  getTemplate: {
    method: 'GET',
    path: '/admin/v1/templates/{id}',
    permission: 'templates:read',
    tag: 'templates',
    summary: 'Read a template',
    description: 'One template.',
    params: idParams,
    responses: { 200: { description: 'The template.', schema: template } },
  },
  updateTemplate: {
    method: 'PUT',
    path: '/admin/v1/templates/{id}',
    permission: 'templates:write',
    tag: 'templates',
    summary: 'Change a template',
    description: 'Replaces the template; a broadcast’s test send made before this no longer counts.',
    params: idParams,
    body: template,
    responses: { 200: { description: 'The template.', schema: template } },
  },
  deleteTemplate: {
    method: 'DELETE',
    path: '/admin/v1/templates/{id}',
    permission: 'templates:write',
    tag: 'templates',
    summary: 'Delete a template',
    description: 'Removes the template.',
    params: idParams,
    responses: { 204: { description: 'Deleted.' } },
  },
  previewTemplate: {
    method: 'POST',
    path: '/admin/v1/templates/{id}/preview',
    permission: 'templates:read',
    tag: 'templates',
    summary: 'Preview a template',
    description: 'Renders the template for a customer with the compliance text applied; nothing is sent.',
    params: idParams,
    body: previewInput,
    bodyOptional: true,
    responses: { 200: { description: 'The rendered message.', schema: rendered } },
  },
  testSendTemplate: {
    method: 'POST',
    path: '/admin/v1/templates/{id}/test-send',
    permission: 'messages:test-send',
    tag: 'templates',
    summary: 'Send a template as a test',
    description: 'Renders and sends it to `to` (an address, a device token or a phone number), marked [TEST].',
    params: idParams,
    body: previewInput.extend({ to: z.string().min(3).max(4096) }),
    responses: {
      200: {
        description: 'Whether it was sent, and the provider’s id.',
        schema: z.looseObject({ sent: z.boolean() }),
      },
    },
  },
  getSettings: {
    method: 'GET',
    path: '/admin/v1/settings',
    permission: 'settings:read',
    tag: 'settings',
    summary: 'Read the settings',
    description: 'Sender, quiet hours, caps, compliance wording, seed list, SMS and KakaoTalk, attribution.',
    responses: { 200: { description: 'The settings.', schema: settings } },
  },
  updateSettings: {
    method: 'PUT',
    path: '/admin/v1/settings',
    permission: 'settings:write',
    tag: 'settings',
    summary: 'Change the settings',
    description: 'Replaces the settings as a whole.',
    body: settings,
    responses: { 200: { description: 'The settings.', schema: settings } },
  },
});

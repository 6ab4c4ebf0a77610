// The table's admin routes for what is sent: templates with preview and test send, and the workspace settings.

import * as z from 'zod';
import { settingsSchema } from '../../core/delivery/settings.js';
import { templateSchema } from '../../core/delivery/template.js';
import { adminRoutes } from '../contract.js';
import { idParams } from '../shapes.js';

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

const rendered = z
  .looseObject({ channel: z.string() })
  .meta({ id: 'RenderedMessage', description: 'The message exactly as it would go out on its channel.' });

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

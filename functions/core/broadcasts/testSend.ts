// A broadcast's test send: every variant on every channel of its chain, to the seed list, remembered with a
// hash of what was sent so the checklist can tell whether it still shows what customers will get.

import type { Channel } from '../delivery/channel.js';
import { messageRef } from '../delivery/messageRef.js';
import type { SettingsStore, TemplateStore } from '../delivery/ports.js';
import type { Template } from '../delivery/template.js';
import type { UserKey } from '../events/userKey.js';
import { ConflictError, InvalidRequestError } from '../errors.js';
import { contentHash, variantsOf, type Broadcast } from './broadcast.js';
import type { BroadcastStore } from './ports.js';
import { templatesOf } from './runBroadcast.js';

/** Renders a message once per channel and sends it to each seed address, marked as a test. */
export type TestSender<Message> = {
  render(
    template: Template,
    how: { category: 'marketing' | 'transactional'; variant?: string; channel: Channel },
  ): Promise<Message>;
  send(message: Message, to: string, ref: string): Promise<{ sent: boolean }>;
};

export type TestSendDeps<Message> = {
  broadcasts: Pick<BroadcastStore, 'save'>;
  settings: Pick<SettingsStore, 'get'>;
  templates: Pick<TemplateStore, 'get'>;
  sender: TestSender<Message>;
};

export async function testSendBroadcast<Message>(broadcast: Broadcast, deps: TestSendDeps<Message>, now: Date) {
  const { definition } = broadcast;
  const [settings, templates] = await Promise.all([deps.settings.get(), templatesOf(definition, deps.templates)]);
  const results: ({ variant: string; channel: Channel; to: string } & Record<string, unknown>)[] = [];
  let recipients = 0;
  for (const variant of variantsOf(definition)) {
    const template = templates.get(variant.template);
    if (!template) throw new InvalidRequestError(`no template has the id ${variant.template}`);
    for (const channel of [template.channel, ...definition.fallback]) {
      const how = { category: definition.category, variant: definition.variants ? variant.name : undefined, channel };
      const message = await deps.sender.render(template, how);
      for (const to of settings.seedList[channel]) {
        const idempotencyKey = `test:${definition.id}:${now.toISOString()}`;
        const ref = messageRef({ userKey: 'u:seed' as UserKey, idempotencyKey });
        const result = await deps.sender.send(message, to, ref);
        results.push({ variant: variant.name, channel, to, ...result });
        if (result.sent) recipients++;
      }
    }
  }
  if (recipients === 0) {
    const message = "nothing was sent: add addresses for the broadcast's channels to settings.seedList";
    throw new InvalidRequestError(message, 'settings.seedList');
  }
  const testSend = { at: now.toISOString(), contentHash: contentHash(definition, [...templates.values()]), recipients };
  if (!(await deps.broadcasts.save({ ...broadcast, testSend }, ['draft']))) {
    throw new ConflictError(`broadcast ${definition.id} is ${broadcast.status}; only a draft is tested`);
  }
  return { testSend, results };
}

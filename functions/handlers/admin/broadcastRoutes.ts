// Admin routes for broadcasts: drafts, the pre-send checklist, test sends to the seed list, send (409
// unless every item passes or `force` gives a reason) and cancel.

import * as z from 'zod';
import type { Adapters } from '../../adapters/Adapters.js';
import { broadcastSchema, contentHash, variantsOf, wavesOf, type Broadcast, type Checklist, type ChecklistItem } from '../../core/broadcasts/broadcast.js';
import { audienceItem, emptyTally, recipientVerdict, sendingWindowItem, testSendItem } from '../../core/broadcasts/checklist.js';
import { channelOfTemplate, startBroadcast, templatesOf as templatesOfBroadcast } from '../../core/broadcasts/runBroadcast.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { customerZone, type CapCounter } from '../../core/delivery/guards.js';
import { messageRef } from '../../core/delivery/messageRef.js';
import type { Template } from '../../core/delivery/template.js';
import type { UserKey } from '../../core/events/userKey.js';
import type { Channel } from '../../core/delivery/channel.js';
import type { Profile } from '../../core/profiles/profile.js';
import { evaluateCondition } from '../../core/segments/condition.js';
import { profileSubject } from '../../core/segments/profileSubject.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminRoute } from './journeyRoutes.js';
import { assertSameId, parse } from './parse.js';
import { previewMessage, sendTestMessage } from './previewMessage.js';
import { checklistRefusal, contentItems, forceSchema } from './contentChecks.js';

const sendSchema = z
  .object({ force: forceSchema.optional() })
  .strict()
  .default({});
const SAMPLES = 3;

export function broadcastRoutes(adapters: Adapters, delivery?: DeliveryDeps): Record<string, AdminRoute> {
  const { broadcasts, clock } = adapters;
  const idOf = (event: { pathParameters?: Record<string, string | undefined> }) => event.pathParameters?.id ?? '';
  const stored = async (id: string) => {
    const broadcast = await broadcasts.get(id);
    if (!broadcast) throw new NotFoundError(`no broadcast has the id ${id}`);
    return broadcast;
  };
  const templatesOf = (broadcast: Pick<Broadcast, 'definition'>) => templatesOfBroadcast(broadcast.definition, adapters.templates);
  const validate = async (definition: Broadcast['definition']) => {
    if (!(await adapters.segments.get(definition.segment))) throw new InvalidRequestError(`no segment has the id ${definition.segment}`, 'body.segment');
    const templates = await templatesOf({ definition });
    variantsOf(definition).forEach((v, i) => {
      if (!templates.has(v.template)) throw new InvalidRequestError(`no template has the id ${v.template}`, definition.variants ? `body.variants.${i}.template` : 'body.template');
    });
  };

  /** Every item, from one pass over the audience plus three sample renders per variant and channel. */
  const runChecklist = async (broadcast: Broadcast, now: Date): Promise<{ checklist: Checklist; zones: Set<string> }> => {
    const { definition } = broadcast;
    const [segment, allSegments, settings, templates] = await Promise.all([
      adapters.segments.get(definition.segment),
      adapters.segments.list(),
      adapters.settings.get(),
      templatesOf(broadcast),
    ]);
    const items: ChecklistItem[] = [];
    const missingTemplates = variantsOf(definition).filter((v) => !templates.has(v.template));
    if (!segment || missingTemplates.length > 0) {
      const summary = !segment ? `the segment ${definition.segment} does not exist` : `missing templates: ${missingTemplates.map((v) => v.template).join(', ')}`;
      return { checklist: { at: now.toISOString(), passed: false, items: [{ id: 'audience', passed: false, summary }] }, zones: new Set() };
    }
    const channelOf = channelOfTemplate(templates);
    const conditions = new Map(allSegments.map((s) => [s.id, s.condition]));
    const sendingSince = now;

    // The audience: one pass, the same gates the sender applies.
    const tally = emptyTally();
    const zones = new Set<string>();
    const emails = new Map<string, UserKey>();
    const capped: { userKey: UserKey; counters: CapCounter[] }[] = [];
    const channelsOf = new Map<UserKey, Channel>();
    const samples: Profile[] = [];
    let seen = 0;
    await adapters.profiles.scan((profile) => {
      if (!evaluateCondition(segment.condition, profileSubject(profile), now, (id) => conditions.get(id))) return;
      tally.matching++;
      zones.add(customerZone(profile, settings));
      const verdict = recipientVerdict(broadcast, profile, { settings, channelOf, sendingSince });
      if (verdict.kind === 'control') return void tally.control++;
      if (verdict.kind === 'skip') return void (tally.skipped[verdict.reason] = (tally.skipped[verdict.reason] ?? 0) + 1);
      tally.sendable++;
      tally.byChannel[verdict.channel] = (tally.byChannel[verdict.channel] ?? 0) + 1;
      if (verdict.quietUntil) tally.inQuietHours++;
      if (verdict.email) emails.set(verdict.email, profile.userKey);
      if (verdict.counters.length > 0) capped.push({ userKey: profile.userKey, counters: verdict.counters });
      channelsOf.set(profile.userKey, verdict.channel);
      // Reservoir sampling: three recipients, each as likely as any other.
      seen++;
      if (samples.length < SAMPLES) samples.push(profile);
      else if (Math.random() < SAMPLES / seen) samples[Math.floor(Math.random() * SAMPLES)] = profile;
    });
    const skip = (reason: string) => {
      tally.sendable--;
      tally.skipped[reason] = (tally.skipped[reason] ?? 0) + 1;
    };
    for (const address of await adapters.suppressions.suppressedAmong([...emails.keys()])) {
      skip('suppressed address');
      const key = emails.get(address)!;
      tally.byChannel[channelsOf.get(key)!]--;
      channelsOf.delete(key);
    }
    for (const [userKey, rule] of await adapters.caps.full(capped.filter((c) => channelsOf.has(c.userKey)))) {
      skip(`frequency cap ${rule}`);
      tally.byChannel[channelsOf.get(userKey)!]--;
    }
    items.push(audienceItem(tally));

    // Sample renders on every channel of the chain, for every variant, compliance text applied.
    const targets = variantsOf(definition).map((v) => ({
      label: v.name,
      template: v.template,
      ...(definition.variants ? { variant: v.name } : {}),
      fallback: definition.fallback,
      category: definition.category,
    }));
    items.push(...(await contentItems(targets, samples, adapters, delivery, `broadcast:${definition.id}`)));
    const chain = (template: Template): Channel[] => [template.channel, ...definition.fallback];
    items.push(sendingWindowItem(tally, settings));
    const channels = new Set([...templates.values()].flatMap(chain));
    const seeds = [...channels].reduce((n, c) => n + settings.seedList[c].length, 0);
    items.push(testSendItem(broadcast, contentHash(definition, [...templates.values()]), seeds));
    return { checklist: { at: now.toISOString(), passed: items.every((i) => i.passed), items }, zones };
  };

  return {
    'POST /admin/v1/broadcasts': async (event) => {
      const definition = parse(broadcastSchema, event.jsonBody, 'body');
      await validate(definition);
      const now = clock.now().toISOString();
      const broadcast: Broadcast = { definition, status: 'draft', createdAt: now, updatedAt: now, progress: { chains: 0, chainsDone: 0, pages: 0, enqueued: 0, heldOut: 0 } };
      if ((await broadcasts.create(broadcast)) === 'exists') {
        throw new InvalidRequestError(`broadcast ${definition.id} exists; PUT /admin/v1/broadcasts/${definition.id} changes it`, 'body.id');
      }
      return jsonResponse(201, broadcast);
    },
    'GET /admin/v1/broadcasts': async () => jsonResponse(200, { broadcasts: await broadcasts.list() }),
    'GET /admin/v1/broadcasts/{id}': async (event) => {
      const broadcast = await stored(idOf(event));
      return jsonResponse(200, { ...broadcast, lastCheck: await broadcasts.lastCheck(broadcast.definition.id) });
    },
    'PUT /admin/v1/broadcasts/{id}': async (event) => {
      const definition = parse(broadcastSchema, event.jsonBody, 'body');
      assertSameId(definition.id, idOf(event));
      await validate(definition);
      const current = await stored(definition.id);
      const next: Broadcast = { ...current, definition, updatedAt: clock.now().toISOString() };
      if (!(await broadcasts.save(next, ['draft']))) throw new ConflictError(`broadcast ${definition.id} is ${current.status}; only a draft can be changed`);
      return jsonResponse(200, next);
    },
    'DELETE /admin/v1/broadcasts/{id}': async (event) => {
      const result = await broadcasts.delete(idOf(event));
      if (result === 'not-found') throw new NotFoundError(`no broadcast has the id ${idOf(event)}`);
      if (result === 'not-draft') throw new ConflictError(`broadcast ${idOf(event)} was sent; cancel it instead`);
      return { statusCode: 204 };
    },
    'POST /admin/v1/broadcasts/{id}/check': async (event) => {
      const broadcast = await stored(idOf(event));
      const { checklist } = await runChecklist(broadcast, clock.now());
      await broadcasts.saveCheck(broadcast.definition.id, checklist);
      return jsonResponse(200, checklist);
    },
    'POST /admin/v1/broadcasts/{id}/test-send': async (event) => {
      const broadcast = await stored(idOf(event));
      const [settings, templates] = await Promise.all([adapters.settings.get(), templatesOf(broadcast)]);
      const results: unknown[] = [];
      let recipients = 0;
      for (const variant of variantsOf(broadcast.definition)) {
        const template = templates.get(variant.template);
        if (!template) throw new InvalidRequestError(`no template has the id ${variant.template}`);
        for (const channel of [template.channel, ...broadcast.definition.fallback]) {
          const message = await previewMessage(template, { category: broadcast.definition.category, variant: broadcast.definition.variants ? variant.name : undefined }, adapters, delivery, { channel });
          for (const to of settings.seedList[channel]) {
            const ref = messageRef({ userKey: `u:seed` as UserKey, idempotencyKey: `test:${broadcast.definition.id}:${clock.now().toISOString()}` });
            const result = await sendTestMessage(message, to, ref, delivery, settings);
            results.push({ variant: variant.name, channel, to, ...result });
            if (result.sent) recipients++;
          }
        }
      }
      if (recipients === 0) throw new InvalidRequestError('nothing was sent: add addresses for the broadcast\'s channels to settings.seedList', 'settings.seedList');
      const at = clock.now().toISOString();
      const next: Broadcast = { ...broadcast, testSend: { at, contentHash: contentHash(broadcast.definition, [...templates.values()]), recipients } };
      if (!(await broadcasts.save(next, ['draft']))) throw new ConflictError(`broadcast ${broadcast.definition.id} is ${broadcast.status}; only a draft is tested`);
      return jsonResponse(200, { testSend: next.testSend, results });
    },
    'POST /admin/v1/broadcasts/{id}/send': async (event) => {
      const { force } = parse(sendSchema, event.jsonBody ?? {}, 'body');
      const broadcast = await stored(idOf(event));
      if (broadcast.status !== 'draft') throw new ConflictError(`broadcast ${broadcast.definition.id} is already ${broadcast.status}`);
      const now = clock.now();
      const { checklist, zones } = await runChecklist(broadcast, now);
      await broadcasts.saveCheck(broadcast.definition.id, checklist);
      const failing = checklist.items.filter((i) => !i.passed);
      if (failing.length > 0 && !force) {
        return checklistRefusal(failing, 'fix them, or send with force and a reason');
      }
      const settings = await adapters.settings.get();
      if (zones.size === 0) zones.add(settings.timezone);
      const forced = failing.length > 0 && force ? { reason: force.reason, at: now.toISOString(), failing: failing.map((i) => i.id) } : undefined;
      const waves = wavesOf(broadcast.definition, zones, now);
      const started = await startBroadcast({ ...broadcast, ...(forced ? { forced } : {}) }, waves, { broadcasts, pages: adapters.broadcastPages }, now);
      if (!started) throw new ConflictError(`broadcast ${broadcast.definition.id} changed while it was checked; check and send again`);
      return jsonResponse(202, { ...started, waves: waves.map((w) => w.toISOString()) });
    },
    'POST /admin/v1/broadcasts/{id}/cancel': async (event) => {
      const id = idOf(event);
      await stored(id);
      // Requests already on a channel queue are dropped by the sender when they come up.
      if (!(await broadcasts.cancel(id, clock.now().toISOString()))) throw new ConflictError(`broadcast ${id} is already cancelled`);
      return jsonResponse(200, await stored(id));
    },
  };
}

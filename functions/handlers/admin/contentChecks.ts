// The checklist items about content, shared by broadcasts and journey activation: sample renders on every
// channel of the chain with the compliance text applied, personalisation variables, links and UTM tags.

import * as z from 'zod';
import type { Adapters } from '../../adapters/Adapters.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { ChecklistItem } from '../../core/broadcasts/broadcast.js';
import { linkProblems, linksIn } from '../../core/broadcasts/checklist.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { missingVariables } from '../../core/delivery/render.js';
import type { Template } from '../../core/delivery/template.js';
import type { Channel } from '../../core/delivery/channel.js';
import type { Profile } from '../../core/profiles/profile.js';
import { previewMessage, renderedTexts } from './previewMessage.js';

/** One message as it may go out: a template (or a variant of it), on its channel and each fallback. */
export type ContentTarget = { label: string; template: string; variant?: string; channel?: Channel; fallback: Channel[]; category: 'marketing' | 'transactional' };

export async function contentItems(
  targets: ContentTarget[],
  samples: Profile[],
  adapters: Pick<Adapters, 'templates' | 'profiles' | 'settings'>,
  delivery: DeliveryDeps | undefined,
  journeyId: string,
): Promise<ChecklistItem[]> {
  const templates = new Map<string, Template | undefined>();
  for (const target of targets) if (!templates.has(target.template)) templates.set(target.template, await adapters.templates.get(target.template));
  const renders: { target: string; channel: Channel; userId?: string; message?: Awaited<ReturnType<typeof previewMessage>>; error?: string }[] = [];
  for (const target of targets) {
    const template = templates.get(target.template);
    if (!template) {
      renders.push({ target: target.label, channel: 'email', error: `no template has the id ${target.template}` });
      continue;
    }
    for (const channel of [target.channel ?? template.channel, ...target.fallback]) {
      for (const profile of samples.length > 0 ? samples : [undefined]) {
        try {
          const message = await previewMessage(template, { category: target.category, variant: target.variant }, adapters, delivery, { channel, profile, journeyId });
          const refusal = message.channel === 'kakao' && 'refusal' in message.kakao ? message.kakao.refusal : undefined;
          renders.push({ target: target.label, channel, userId: profile?.userId, message, ...(refusal ? { error: refusal } : {}) });
        } catch (error) {
          renders.push({ target: target.label, channel, userId: profile?.userId, error: (error as Error).message });
        }
      }
    }
  }
  const failed = renders.filter((r) => r.error);
  // Without a customer to render for, every variable would look missing: the check waits for profiles.
  const missing = renders.flatMap((r) => (r.message && r.userId !== undefined ? missingVariables(r.message.sources, r.message.scope).map((variable) => ({ target: r.target, channel: r.channel, userId: r.userId, variable })) : []));
  const links = [...new Set(renders.flatMap((r) => (r.message ? linksIn(renderedTexts(r.message)) : [])))];
  const problems = linkProblems(links, `${delivery?.unsubscribe.baseUrl ?? 'https://example.invalid'}/v1/unsubscribe`);
  return [
    {
      id: 'samples',
      passed: failed.length === 0,
      summary:
        failed.length === 0
          ? `${renders.length} sample renders (${Math.max(samples.length, 1)} recipients × messages × channels) with the compliance text applied`
          : `${failed.length} of ${renders.length} sample renders failed: ${failed[0].error}`,
      details: renders.map(({ message, ...r }) => {
        if (!message) return r;
        const { request: _r, scope: _s, sources: _src, ...shown } = message;
        return { ...r, rendered: shown };
      }),
    },
    {
      id: 'personalisation',
      passed: missing.length === 0,
      summary:
        samples.length === 0
          ? 'no customers yet to try the personalisation on'
          : missing.length === 0
          ? 'every personalisation variable had a value (or a default) for the samples'
          : `missing for a sample recipient, without a default: ${[...new Set(missing.map((m) => m.variable))].join(', ')}`,
      details: missing,
    },
    {
      id: 'links',
      passed: problems.length === 0,
      summary: problems.length === 0 ? `${links.length} links, each well-formed with utm_source, utm_medium and utm_campaign` : `${problems.length} links need attention: ${problems[0].link} (${problems[0].problem})`,
      details: { links, problems },
    },
  ];
}

/** `force`: going ahead although the checklist fails, with a reason worth keeping. */
export const forceSchema = z.object({ reason: z.string().trim().min(10, 'say why the checklist is overridden (10 characters or more)').max(500) }).strict();

/** 409 with the failing items: what a send or an activation answers until the checklist passes. */
export function checklistRefusal(failing: ChecklistItem[], remedy: string) {
  return jsonResponse(409, {
    success: false,
    error: { code: 'checklist_failed', message: `the checklist failed: ${failing.map((i) => i.id).join(', ')}; ${remedy}` },
    failing,
  });
}

// The checklist's content checks wired to the preview renderer, and the 409 a failed checklist answers.

import type { ChecklistItem } from '../../core/broadcasts/broadcast.js';
import type { ContentCheckDeps } from '../../core/broadcasts/contentChecks.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { missingVariables } from '../../core/delivery/render.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminDeps } from './deps.js';
import { previewMessage, renderedTexts } from './previewMessage.js';

/** Sample renders are previews: the same composition as a send, with nothing sent. */
export function contentCheckDeps(
  deps: Pick<AdminDeps, 'templates' | 'profiles' | 'settings'>,
  delivery: DeliveryDeps | undefined,
): ContentCheckDeps {
  return {
    templates: deps.templates,
    unsubscribeUrl: () => `${delivery?.unsubscribe.baseUrl ?? 'https://example.invalid'}/v1/unsubscribe`,
    render: async (template, { category, variant, channel, profile, journeyId }) => {
      const message = await previewMessage(template, { category, variant }, deps, delivery, {
        channel,
        profile,
        journeyId,
      });
      const { request: _request, scope, sources, ...shown } = message;
      // Whatever the composer would refuse this message for — its content, or a setting it needs such as a
      // registered sender number or the 080 opt-out number of a marketing text — fails the sample.
      const [first] = message.refusals;
      const refusal = first && (first.setting ? `${first.reason}; set ${first.setting} in the settings` : first.reason);
      return {
        shown,
        texts: renderedTexts(message),
        missing: missingVariables(sources, scope),
        ...(refusal ? { refusal } : {}),
      };
    },
  };
}

/** 409 with the failing items: what a send or an activation answers until the checklist passes. */
export function checklistRefusal(failing: ChecklistItem[], remedy: string) {
  return jsonResponse(409, {
    success: false,
    error: {
      code: 'checklist_failed',
      message: `the checklist failed: ${failing.map((i) => i.id).join(', ')}; ${remedy}`,
    },
    failing,
  });
}

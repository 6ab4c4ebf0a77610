// KakaoTalk: AlimTalk fills exactly the approved template's `#{변수}`; Brand Messages are advertisements
// with Kakao's own sending hours and a limit of one per recipient per day.

import { Liquid } from 'liquidjs';
import type { CapRule, DeliverySettings } from './settings.js';
import type { KakaoContent } from './template.js';
import { endOfWindow } from './guards.js';
import type { RenderScope } from './render.js';

const liquid = new Liquid({ cache: 500 });

/** Kakao lets Brand Messages out between 08:00 and 20:50 only. */
export const BRAND_MESSAGE_HOURS = { start: '08:00', end: '20:50' } as const;
/** Kakao's limit, applied as a frequency cap no setting can loosen. */
export const BRAND_MESSAGE_CAP: CapRule = { id: 'kakao-brand-daily', channel: 'kakao', window: 'day', limit: 1 };

export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/#\{([^}]+)\}/g)].map((m) => m[1]))];
}

export type RenderedKakao = { text: string; variables: Record<string, string> };

/**
 * Fills the approved template's placeholders and nothing else. A placeholder without a value, or a value
 * for a placeholder the template does not have, would make the message differ from what Kakao approved:
 * refused here (with the reason) rather than by the provider.
 */
export async function renderKakao(
  content: KakaoContent,
  scope: RenderScope,
): Promise<RenderedKakao | { refusal: string }> {
  const names = placeholders(content.text);
  const missing = names.filter((n) => content.variables[n] === undefined);
  if (missing.length > 0)
    return { refusal: `no value for ${missing.map((n) => `#{${n}}`).join(', ')} of the approved template` };
  const extra = Object.keys(content.variables).filter((n) => !names.includes(n));
  if (extra.length > 0) return { refusal: `${extra.map((n) => `#{${n}}`).join(', ')} is not in the approved template` };
  const variables: Record<string, string> = {};
  for (const name of names) {
    const value = (await liquid.parseAndRender(content.variables[name], scope)).trim();
    if (value === '') return { refusal: `#{${name}} rendered empty` };
    variables[`#{${name}}`] = value;
  }
  const text = content.text.replace(/#\{([^}]+)\}/g, (whole, name: string) => variables[`#{${name}}`] ?? whole);
  return { text, variables };
}

/** A Brand Message's approved text must itself carry the ad marking and the free 080 opt-out. */
export function brandMessageMarkingRefusal(content: KakaoContent, settings: DeliverySettings): string | undefined {
  const { adPrefix } = settings.compliance;
  if (!content.text.trimStart().startsWith(adPrefix))
    return `the approved Brand Message does not start with ${adPrefix}`;
  const number = settings.sms.optOutNumber;
  if (!number) return 'no free opt-out (080) number is configured (settings.sms.optOutNumber)';
  if (!content.text.includes(number)) return `the approved Brand Message does not carry the opt-out number ${number}`;
  return undefined;
}

const TARGET_NAMES = { M: 'consented non-friends', N: 'consented customers, friends or not' } as const;

/**
 * M and N reach people who are not the channel's friends: Kakao sends them only once it has approved the channel
 * (50,000 friends, proof of consent, a registered 080 number), and the workspace says so in its settings. Until
 * then the message is refused here, naming the setting, rather than sent to friends only or rejected by Kakao.
 */
export function brandMessageTargetRefusal(
  content: Pick<KakaoContent, 'kind' | 'target'>,
  settings: Pick<DeliverySettings, 'brandMessageTargets'>,
): { reason: string; setting: string } | undefined {
  if (content.kind !== 'brand' || content.target === 'I') return undefined;
  const key = content.target === 'M' ? 'm' : 'n';
  if (settings.brandMessageTargets[key]) return undefined;
  return {
    reason: `Brand Message target ${content.target} (${TARGET_NAMES[content.target]}) is not enabled: it needs Kakao's approval, a registered 080 number and enough channel friends`,
    setting: `brandMessageTargets.${key}`,
  };
}

/** AlimTalk is informational by Kakao's rules: a marketing message must be a Brand Message. */
export function alimTalkCategoryRefusal(
  content: Pick<KakaoContent, 'kind'>,
  category: 'marketing' | 'transactional',
): string | undefined {
  return content.kind === 'alimtalk' && category === 'marketing'
    ? 'AlimTalk carries informational messages only; send marketing as a Brand Message'
    : undefined;
}

/** Outside Kakao's sending hours in the customer's zone, the next time they open. */
export function brandMessageHoursDeferral(now: Date, zone: string): Date | undefined {
  return endOfWindow(now, zone, BRAND_MESSAGE_HOURS.end, BRAND_MESSAGE_HOURS.start);
}

// The checklist items about content, shared by broadcasts and journey activation: sample renders on every
// channel of the chain with the compliance text applied, personalisation variables, links and UTM tags.

import type { Channel } from '../delivery/channel.js';
import type { TemplateStore } from '../delivery/ports.js';
import type { Template } from '../delivery/template.js';
import type { Profile } from '../profiles/profile.js';
import type { ChecklistItem } from './broadcast.js';
import { linkProblems, linksIn } from './checklist.js';

/** One message as it may go out: a template (or a variant of it), on its channel and each fallback. */
export type ContentTarget = {
  label: string;
  template: string;
  variant?: string;
  channel?: Channel;
  fallback: Channel[];
  category: 'marketing' | 'transactional';
};

/** What the checklist needs to know of one sample render. */
export type SampleRender = {
  /** The message as shown to the marketer. */
  shown: object;
  /** Every text a link can hide in (HTML, plain text, buttons). */
  texts: string[];
  /** Personalisation variables that had no value and no default. */
  missing: string[];
  /** Why the channel would refuse this message (a KakaoTalk brand message without its marking). */
  refusal?: string;
};

/** Renders a template as it would go out, for one customer (or none) on one channel; throws when it cannot. */
export type SampleRenderer = (
  template: Template,
  how: {
    category: 'marketing' | 'transactional';
    variant?: string;
    channel: Channel;
    profile?: Profile;
    journeyId: string;
  },
) => Promise<SampleRender>;

export type ContentCheckDeps = {
  templates: Pick<TemplateStore, 'get'>;
  render: SampleRenderer;
  /** Our own unsubscribe link, which carries no UTM tags on purpose (read late: a local server learns its port). */
  unsubscribeUrl(): string;
};

const unique = (values: string[]) => [...new Set(values)];

export async function contentItems(
  targets: ContentTarget[],
  samples: Profile[],
  deps: ContentCheckDeps,
  journeyId: string,
): Promise<ChecklistItem[]> {
  const templates = new Map<string, Template | undefined>();
  for (const target of targets) {
    if (!templates.has(target.template)) templates.set(target.template, await deps.templates.get(target.template));
  }
  type Render = { target: string; channel: Channel; userId?: string; sample?: SampleRender; error?: string };
  const renders: Render[] = [];
  for (const target of targets) {
    const template = templates.get(target.template);
    if (!template) {
      renders.push({ target: target.label, channel: 'email', error: `no template has the id ${target.template}` });
      continue;
    }
    for (const channel of [target.channel ?? template.channel, ...target.fallback]) {
      for (const profile of samples.length > 0 ? samples : [undefined]) {
        try {
          const how = { category: target.category, variant: target.variant, channel, profile, journeyId };
          const sample = await deps.render(template, how);
          const error = sample.refusal ? { error: sample.refusal } : {};
          renders.push({ target: target.label, channel, userId: profile?.userId, sample, ...error });
        } catch (error) {
          renders.push({ target: target.label, channel, userId: profile?.userId, error: (error as Error).message });
        }
      }
    }
  }
  const failed = renders.filter((r) => r.error);
  // Without a customer to render for, every variable would look missing: the check waits for profiles.
  const missing = renders.flatMap((r) =>
    r.sample && r.userId !== undefined
      ? r.sample.missing.map((variable) => ({ target: r.target, channel: r.channel, userId: r.userId, variable }))
      : [],
  );
  const links = [...new Set(renders.flatMap((r) => (r.sample ? linksIn(r.sample.texts) : [])))];
  const problems = linkProblems(links, deps.unsubscribeUrl());
  return [
    {
      id: 'samples',
      passed: failed.length === 0,
      summary:
        failed.length === 0
          ? `${renders.length} sample renders (${Math.max(samples.length, 1)} recipients × messages × channels) ` +
            'with the compliance text applied'
          : `${failed.length} of ${renders.length} sample renders failed: ${failed[0].error}`,
      details: renders.map(({ sample, ...r }) => (sample ? { ...r, rendered: sample.shown } : r)),
    },
    {
      id: 'personalisation',
      passed: missing.length === 0,
      summary:
        samples.length === 0
          ? 'no customers yet to try the personalisation on'
          : missing.length === 0
            ? 'every personalisation variable had a value (or a default) for the samples'
            : `missing for a sample recipient, without a default: ${unique(missing.map((m) => m.variable)).join(', ')}`,
      details: missing,
    },
    {
      id: 'links',
      passed: problems.length === 0,
      summary:
        problems.length === 0
          ? `${links.length} links, each well-formed with utm_source, utm_medium and utm_campaign`
          : `${problems.length} links need attention: ${problems[0].link} (${problems[0].problem})`,
      details: { links, problems },
    },
  ];
}

// Admin route implementations for journeys and segments: versions, lifecycle, validation, simulation,
// entry, estimates.

import { contentItems, type ContentTarget } from '../../core/broadcasts/contentChecks.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { knownUserKey } from '../../core/events/userKey.js';
import type { JourneyDefinition } from '../../core/journeys/definition.js';
import { JourneyIndex } from '../../core/journeys/journeyIndex.js';
import { enterNow } from '../../core/journeys/runJourneys.js';
import { simulateJourney } from '../../core/journeys/simulate.js';
import { validateJourney, type JourneyProblem } from '../../core/journeys/validateJourney.js';
import type { Profile } from '../../core/profiles/profile.js';
import { findProfile } from '../../core/profiles/updateProfiles.js';
import { evaluateCondition, referencedSegments, type Condition } from '../../core/segments/condition.js';
import { profileSubject } from '../../core/segments/profileSubject.js';
import { InvalidRequestError, NotFoundError, RetainError } from '../../core/errors.js';
import type { AdminRouteName } from '../../routes.js';
import { approvedContentHash } from '../../core/approvals/approvedContent.js';
import type { ChecklistOverride } from '../../core/broadcasts/checklistOverride.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import { requestApproval } from './approvalRequests.js';
import { checklistRefusal, contentCheckDeps } from './contentChecks.js';
import type { AdminDeps } from './deps.js';
import type { AdminImplementations, SomeImplementations } from './dispatch.js';
import { assertSameId } from './parse.js';

/** 422 with every structural problem and its path, so an editor can point at each offending step. */
class InvalidJourneyError extends RetainError {
  constructor(readonly problems: JourneyProblem[]) {
    const message = `the journey is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
    super(message, 'invalid_journey', problems[0]?.path);
  }
}

/** The routes that change what the journey index holds. */
const MUTATIONS = [
  'createJourney',
  'updateJourney',
  'deleteJourney',
  'activateJourney',
  'pauseJourney',
  'archiveJourney',
  'createSegment',
  'updateSegment',
  'deleteSegment',
] as const satisfies AdminRouteName[];

/** What a journey may send: each send step, under each variant a split can give it. */
function sendTargets(definition: JourneyDefinition): ContentTarget[] {
  const steps = Object.entries(definition.steps);
  const variants = [undefined, ...steps.flatMap(([, s]) => (s.type === 'split' ? s.variants.map((v) => v.name) : []))];
  return steps.flatMap(([id, step]) =>
    step.type === 'send'
      ? variants.map((variant) => ({
          label: variant ? `${id} (${variant})` : id,
          template: step.template,
          variant,
          channel: step.channel,
          fallback: step.fallback,
          category: step.category,
        }))
      : [],
  );
}

/** Three customers to render for: the first few profiles of one audience page (no full scan at activation). */
async function sampleProfiles(deps: Pick<AdminDeps, 'profiles'>): Promise<Profile[]> {
  const { profiles } = await deps.profiles.audiencePage({ index: 0, of: 1 }, undefined, 25);
  return profiles.slice(0, 3);
}

export function journeyRoutes(deps: AdminDeps, delivery?: DeliveryDeps) {
  const routes = journeyRouteTable(deps, delivery);
  // A change to journeys or segments is seen at once by whoever shares this container's cache.
  for (const name of MUTATIONS) {
    const route = routes[name] as AdminImplementations[typeof name];
    (routes as Record<string, unknown>)[name] = async (input: Parameters<typeof route>[0]) => {
      const response = await route(input as never);
      deps.journeyIndex.invalidate();
      return response;
    };
  }
  return routes;
}

/** A journey's head and one version (the latest by default), and the check that its segments exist. */
function journeyLookups(deps: Pick<AdminDeps, 'journeys' | 'segments'>) {
  const stored = async (id: string, version?: number) => {
    const head = await deps.journeys.head(id);
    if (!head) throw new NotFoundError(`no journey has the id ${id}`);
    const v = await deps.journeys.version(id, version ?? head.latestVersion);
    if (!v) throw new NotFoundError(`journey ${id} has no version ${version}`);
    return { head, version: v };
  };

  /** Referenced segments must exist when a journey goes live: a typo would silently match nobody. */
  const assertSegmentsExist = async (definition: JourneyDefinition) => {
    const conditions: (Condition | undefined)[] = [
      definition.entry,
      definition.goal?.where,
      ...definition.exitOn.map((e) => e.where),
    ];
    if (definition.trigger.kind === 'segment') conditions.push(definition.trigger.condition);
    if (definition.trigger.kind === 'event') conditions.push(definition.trigger.where);
    for (const step of Object.values(definition.steps)) {
      if (step.type === 'branch') conditions.push(step.condition);
      if (step.type === 'wait-for-event') conditions.push(step.where);
    }
    const ids = new Set<string>();
    for (const c of conditions) referencedSegments(c, ids);
    const missing: JourneyProblem[] = [];
    for (const id of ids) {
      if (!(await deps.segments.get(id))) missing.push({ path: 'segments', message: `segment "${id}" does not exist` });
    }
    if (missing.length > 0) throw new InvalidJourneyError(missing);
  };
  return { stored, assertSegmentsExist };
}

/**
 * Activation in two halves, so an approval can sit between them: the checklist (the broadcast checklist's
 * content items on every send step), then the activation itself.
 */
export function journeyActivation(deps: AdminDeps, delivery?: DeliveryDeps) {
  const { stored, assertSegmentsExist } = journeyLookups(deps);
  const content = contentCheckDeps(deps, delivery);
  const check = async (id: string, version?: number) => {
    const found = await stored(id, version);
    if (found.head.status === 'archived') {
      throw new InvalidRequestError('an archived journey cannot be activated; save it under a new id');
    }
    await assertSegmentsExist(found.version.definition);
    // A journey sends for months: every send step, under every variant, is checked.
    const targets = sendTargets(found.version.definition);
    const items = await contentItems(targets, await sampleProfiles(deps), content, found.head.id);
    return { found, items, failing: items.filter((i) => !i.passed) };
  };
  type Checked = Awaited<ReturnType<typeof check>>;
  return {
    check,
    /**
     * What an approval of this version is of: its definition, that no newer version was saved since, and the
     * templates its send steps use (a journey sends whatever its templates say when each customer gets there).
     */
    contentHash: (found: Checked['found']) =>
      approvedContentHash(
        { definition: found.version.definition, latestVersion: found.head.latestVersion },
        sendTargets(found.version.definition).map((t) => t.template),
        deps.templates,
      ),
    activate: async ({ found, items, failing }: Checked, force: ChecklistOverride | undefined) => {
      const head = await deps.journeys.setStatus(found.head.id, 'active', deps.clock.now(), found.version.version);
      deps.journeyIndex.invalidate();
      const forced = force && failing.length > 0 ? { forced: force.reason } : {};
      return { ...head, checklist: { passed: failing.length === 0, items, ...forced } };
    },
  };
}

function journeyRouteTable(deps: AdminDeps, delivery?: DeliveryDeps) {
  const { journeys, segments, clock } = deps;

  const checked = (body: unknown): JourneyDefinition => {
    const result = validateJourney(body);
    if (!result.ok) throw new InvalidJourneyError(result.problems);
    return result.definition;
  };
  const validation = (body: unknown) => {
    const result = validateJourney(body);
    return result.ok ? { valid: true, problems: [] } : { valid: false, problems: result.problems };
  };

  /** One pass over the profiles; `{ segment: id }` inside the condition resolves to the saved segments. */
  const countMatching = async (condition: Condition, now: Date) => {
    const all = new Map((await segments.list()).map((s) => [s.id, s.condition]));
    let matching = 0;
    const profiles = await deps.profiles.scan((profile) => {
      if (evaluateCondition(condition, profileSubject(profile), now, (s) => all.get(s))) matching++;
    });
    return { matching, profiles };
  };

  const { stored } = journeyLookups(deps);
  const activation = journeyActivation(deps, delivery);

  return {
    createJourney: async ({ body }) => {
      const definition = checked(body);
      const head = await journeys.saveVersion(definition, clock.now());
      return jsonResponse(201, { ...head, definition });
    },
    listJourneys: async () => jsonResponse(200, { journeys: await journeys.list() }),
    validateJourneyDraft: async ({ body }) => jsonResponse(200, validation(body)),
    getJourney: async ({ params: { id }, query: { version } }) => {
      const found = await stored(id, version);
      return jsonResponse(200, { ...found.head, version: found.version.version, definition: found.version.definition });
    },
    updateJourney: async ({ params: { id }, body }) => {
      const definition = checked(body);
      assertSameId(definition.id, id);
      await stored(definition.id);
      const head = await journeys.saveVersion(definition, clock.now());
      return jsonResponse(200, { ...head, definition });
    },
    deleteJourney: async ({ params: { id } }) => {
      await stored(id);
      return jsonResponse(200, await journeys.setStatus(id, 'archived', clock.now()));
    },
    listJourneyVersions: async ({ params: { id } }) => {
      await stored(id);
      return jsonResponse(200, { versions: await journeys.versions(id) });
    },
    activateJourney: async ({ params: { id }, body: { version, force }, actor }) => {
      const checked = await activation.check(id, version);
      if (checked.failing.length > 0 && !force) {
        return checklistRefusal(checked.failing, 'fix the templates, or activate with force and a reason');
      }
      if ((await deps.settings.get()).approvals.journeyActivate) {
        const { found, items } = checked;
        const request = {
          kind: 'journeyActivate' as const,
          target: { id: found.head.id, version: found.version.version },
          contentHash: await activation.contentHash(found),
          checklist: items,
          force,
        };
        return jsonResponse(202, { approval: await requestApproval(request, actor, deps) });
      }
      return jsonResponse(200, await activation.activate(checked, force));
    },
    pauseJourney: async ({ params: { id } }) => {
      const found = await stored(id);
      if (found.head.status !== 'active') {
        throw new InvalidRequestError(`journey ${found.head.id} is ${found.head.status}, not active`);
      }
      return jsonResponse(200, await journeys.setStatus(id, 'paused', clock.now()));
    },
    archiveJourney: async ({ params: { id } }) => {
      await stored(id);
      return jsonResponse(200, await journeys.setStatus(id, 'archived', clock.now()));
    },
    validateJourney: async ({ params: { id }, body }) => {
      return jsonResponse(200, validation(body ?? (await stored(id)).version.definition));
    },
    simulateJourney: async ({ params: { id }, body: { version, ...simulation } }) => {
      const found = await stored(id, version);
      const profile = await findProfile(knownUserKey(simulation.userId), (k) => deps.profiles.get(k));
      const all = await segments.list();
      const report = await simulateJourney(found.version.definition, simulation, {
        storedProfile: profile?.profile,
        segments: new Map(all.map((s) => [s.id, s.condition])),
      });
      return jsonResponse(200, { journeyId: found.head.id, version: found.version.version, ...report });
    },
    enterJourney: async ({ params: { id }, body: { userIds, requestId }, event }) => {
      const conditions = new Map((await segments.list()).map((s) => [s.id, s.condition]));
      const index = new JourneyIndex(await journeys.live(), conditions);
      const journey = index.journey(id);
      const definition = index.activeDefinition(id);
      if (!journey || !definition) throw new InvalidRequestError(`journey ${id} is not active`);
      const request = requestId ?? event.requestContext.requestId;
      const results: Record<string, string> = {};
      for (const userId of userIds) {
        const userKey = knownUserKey(userId);
        results[userId] = await enterNow(
          journey,
          definition,
          userKey,
          `${request}:${userId}`,
          index,
          deps,
          clock.now(),
        );
      }
      return jsonResponse(200, { results });
    },
    listJourneyInstances: async ({ params: { id }, query: { userId } }) => {
      const found = await findProfile(knownUserKey(userId), (k) => deps.profiles.get(k));
      const instances = await deps.instances.list(found?.profile.userKey ?? knownUserKey(userId), id);
      return jsonResponse(200, { instances });
    },

    listProfileJourneys: async ({ params: { userId } }) => {
      const userKey = knownUserKey(userId);
      const found = await findProfile(userKey, (k) => deps.profiles.get(k));
      const keys = found ? [found.profile.userKey, ...found.profile.mergedKeys] : [userKey];
      const instances = (await Promise.all(keys.map((k) => deps.instances.list(k)))).flat();
      // Where the customer is now matters first; among equals the latest entry.
      instances.sort(
        (a, b) =>
          Number(a.status !== 'active') - Number(b.status !== 'active') || b.enteredAt.localeCompare(a.enteredAt),
      );
      return jsonResponse(200, { instances });
    },

    createSegment: async ({ body: segment }) => {
      if (await segments.get(segment.id)) {
        const message = `segment ${segment.id} exists; PUT /admin/v1/segments/${segment.id} changes it`;
        throw new InvalidRequestError(message, 'body.id');
      }
      await segments.put(segment);
      return jsonResponse(201, segment);
    },
    listSegments: async () => jsonResponse(200, { segments: await segments.list() }),
    getSegment: async ({ params: { id } }) => {
      const segment = await segments.get(id);
      if (!segment) throw new NotFoundError(`no segment has the id ${id}`);
      return jsonResponse(200, segment);
    },
    updateSegment: async ({ params: { id }, body: segment }) => {
      assertSameId(segment.id, id);
      await segments.put(segment);
      return jsonResponse(200, segment);
    },
    deleteSegment: async ({ params: { id } }) => {
      if (!(await segments.delete(id))) throw new NotFoundError(`no segment has the id ${id}`);
      return { statusCode: 204 };
    },
    estimateSegment: async ({ params: { id } }) => {
      const segment = await segments.get(id);
      if (!segment) throw new NotFoundError(`no segment has the id ${id}`);
      const now = clock.now();
      const { matching, profiles } = await countMatching(segment.condition, now);
      return jsonResponse(200, { segmentId: segment.id, matching, profiles, at: now.toISOString() });
    },
    estimateCondition: async ({ body: { condition } }) => {
      const now = clock.now();
      const { matching, profiles } = await countMatching(condition, now);
      return jsonResponse(200, { matching, profiles, at: now.toISOString() });
    },
  } satisfies SomeImplementations;
}

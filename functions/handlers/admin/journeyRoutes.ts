// Admin routes for journeys and segments: versions, lifecycle, validation, simulation, entry, estimates.

import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import type { Adapters } from '../../adapters/Adapters.js';
import { knownUserKey } from '../../core/events/userKey.js';
import type { JourneyDefinition } from '../../core/journeys/definition.js';
import { JourneyIndex } from '../../core/journeys/journeyIndex.js';
import { enterNow } from '../../core/journeys/runJourneys.js';
import { simulateJourney, simulationInputSchema } from '../../core/journeys/simulate.js';
import { validateJourney, type JourneyProblem } from '../../core/journeys/validateJourney.js';
import { findProfile } from '../../core/profiles/updateProfiles.js';
import { evaluateCondition, referencedSegments, type Condition } from '../../core/segments/condition.js';
import { profileSubject } from '../../core/segments/profileSubject.js';
import { segmentSchema } from '../../core/segments/segment.js';
import { InvalidRequestError, NotFoundError, RetainError } from '../../core/errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { JsonBodyEvent } from '../middleware/jsonBody.js';
import { assertSameId, parse } from './parse.js';
import { checklistRefusal, contentItems, forceSchema, type ContentTarget } from './contentChecks.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import type { Profile } from '../../core/profiles/profile.js';

export type AdminRoute = (event: JsonBodyEvent) => Promise<APIGatewayProxyStructuredResultV2>;

/** 422 with every structural problem and its path, so an editor can point at each offending step. */
class InvalidJourneyError extends RetainError {
  constructor(readonly problems: JourneyProblem[]) {
    super(`the journey is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, 'invalid_journey', problems[0]?.path);
  }
}

const activateSchema = z
  .object({
    version: z.number().int().min(1).optional(),
    /** Activates although the content checklist fails; the reason is kept on the answer and logged. */
    force: forceSchema.optional(),
  })
  .strict()
  .default({});
const enterSchema = z
  .object({ userIds: z.array(z.string().min(1).max(255)).min(1).max(1000), requestId: z.string().min(1).max(100).optional() })
  .strict();
const instancesQuery = z.object({ userId: z.string().min(1) });
const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

const MUTATIONS = /^(POST|PUT|DELETE) \/admin\/v1\/(journeys|segments)(\/\{id\}(\/(activate|pause|archive))?)?$/;

/** What a journey may send: each send step, under each variant a split can give it. */
function sendTargets(definition: JourneyDefinition): ContentTarget[] {
  const steps = Object.entries(definition.steps);
  const variants = [undefined, ...steps.flatMap(([, s]) => (s.type === 'split' ? s.variants.map((v) => v.name) : []))];
  return steps.flatMap(([id, step]) =>
    step.type === 'send'
      ? variants.map((variant) => ({ label: variant ? `${id} (${variant})` : id, template: step.template, variant, channel: step.channel, fallback: step.fallback, category: step.category }))
      : [],
  );
}

/** Three customers to render for: the first few profiles of one scan page (no full scan at activation). */
async function sampleProfiles(adapters: Adapters): Promise<Profile[]> {
  const { profiles } = await adapters.profiles.scanPage(0, 1, 25);
  return profiles.slice(0, 3);
}

export function journeyRoutes(adapters: Adapters, delivery?: DeliveryDeps): Record<string, AdminRoute> {
  const routes = journeyRouteTable(adapters, delivery);
  // A change to journeys or segments is seen at once by whoever shares this container's cache.
  for (const [key, route] of Object.entries(routes)) {
    if (!MUTATIONS.test(key)) continue;
    routes[key] = async (event) => {
      const response = await route(event);
      adapters.journeyIndex.invalidate();
      return response;
    };
  }
  return routes;
}

function journeyRouteTable(adapters: Adapters, delivery?: DeliveryDeps): Record<string, AdminRoute> {
  const { journeys, segments, clock } = adapters;
  const idOf = (event: JsonBodyEvent) => event.pathParameters?.id ?? '';

  const checked = (body: unknown): JourneyDefinition => {
    const result = validateJourney(body);
    if (!result.ok) throw new InvalidJourneyError(result.problems);
    return result.definition;
  };

  const stored = async (id: string, version?: number) => {
    const head = await journeys.head(id);
    if (!head) throw new NotFoundError(`no journey has the id ${id}`);
    const v = await journeys.version(id, version ?? head.latestVersion);
    if (!v) throw new NotFoundError(`journey ${id} has no version ${version}`);
    return { head, version: v };
  };

  /** Referenced segments must exist when a journey goes live: a typo would silently match nobody. */
  const assertSegmentsExist = async (definition: JourneyDefinition) => {
    const conditions: (Condition | undefined)[] = [definition.entry, definition.goal?.where, ...definition.exitOn.map((e) => e.where)];
    if (definition.trigger.kind === 'segment') conditions.push(definition.trigger.condition);
    if (definition.trigger.kind === 'event') conditions.push(definition.trigger.where);
    for (const step of Object.values(definition.steps)) {
      if (step.type === 'branch') conditions.push(step.condition);
      if (step.type === 'wait-for-event') conditions.push(step.where);
    }
    const ids = new Set<string>();
    conditions.forEach((c) => referencedSegments(c, ids));
    const missing: JourneyProblem[] = [];
    for (const id of ids) if (!(await segments.get(id))) missing.push({ path: 'segments', message: `segment "${id}" does not exist` });
    if (missing.length > 0) throw new InvalidJourneyError(missing);
  };

  return {
    'POST /admin/v1/journeys': async (event) => {
      const definition = checked(event.jsonBody);
      const head = await journeys.saveVersion(definition, clock.now());
      return jsonResponse(201, { ...head, definition });
    },
    'GET /admin/v1/journeys': async () => jsonResponse(200, { journeys: await journeys.list() }),
    'POST /admin/v1/journeys/validate': async (event) => {
      const result = validateJourney(event.jsonBody);
      return jsonResponse(200, result.ok ? { valid: true, problems: [] } : { valid: false, problems: result.problems });
    },
    'GET /admin/v1/journeys/{id}': async (event) => {
      const { version } = parse(versionQuery, event.queryStringParameters ?? {}, 'query');
      const found = await stored(idOf(event), version);
      return jsonResponse(200, { ...found.head, version: found.version.version, definition: found.version.definition });
    },
    'PUT /admin/v1/journeys/{id}': async (event) => {
      const definition = checked(event.jsonBody);
      assertSameId(definition.id, idOf(event));
      await stored(definition.id);
      const head = await journeys.saveVersion(definition, clock.now());
      return jsonResponse(200, { ...head, definition });
    },
    'DELETE /admin/v1/journeys/{id}': async (event) => {
      await stored(idOf(event));
      return jsonResponse(200, await journeys.setStatus(idOf(event), 'archived', clock.now()));
    },
    'GET /admin/v1/journeys/{id}/versions': async (event) => {
      await stored(idOf(event));
      return jsonResponse(200, { versions: await journeys.versions(idOf(event)) });
    },
    'POST /admin/v1/journeys/{id}/activate': async (event) => {
      const { version, force } = parse(activateSchema, event.jsonBody ?? {}, 'body');
      const found = await stored(idOf(event), version);
      if (found.head.status === 'archived') throw new InvalidRequestError('an archived journey cannot be activated; save it under a new id');
      await assertSegmentsExist(found.version.definition);
      // The broadcast checklist's content items, for every send step: a journey sends for months.
      const checklist = await contentItems(sendTargets(found.version.definition), await sampleProfiles(adapters), adapters, delivery, found.head.id);
      const failing = checklist.filter((i) => !i.passed);
      if (failing.length > 0 && !force) {
        return checklistRefusal(failing, 'fix the templates, or activate with force and a reason');
      }
      const head = await journeys.setStatus(idOf(event), 'active', clock.now(), found.version.version);
      return jsonResponse(200, { ...head, checklist: { passed: failing.length === 0, items: checklist, ...(force && failing.length > 0 ? { forced: force.reason } : {}) } });
    },
    'POST /admin/v1/journeys/{id}/pause': async (event) => {
      const found = await stored(idOf(event));
      if (found.head.status !== 'active') throw new InvalidRequestError(`journey ${found.head.id} is ${found.head.status}, not active`);
      return jsonResponse(200, await journeys.setStatus(idOf(event), 'paused', clock.now()));
    },
    'POST /admin/v1/journeys/{id}/archive': async (event) => {
      await stored(idOf(event));
      return jsonResponse(200, await journeys.setStatus(idOf(event), 'archived', clock.now()));
    },
    'POST /admin/v1/journeys/{id}/validate': async (event) => {
      const body = event.jsonBody ?? (await stored(idOf(event))).version.definition;
      const result = validateJourney(body);
      return jsonResponse(200, result.ok ? { valid: true, problems: [] } : { valid: false, problems: result.problems });
    },
    'POST /admin/v1/journeys/{id}/simulate': async (event) => {
      const input = parse(simulationInputSchema.extend({ version: z.number().int().min(1).optional() }), event.jsonBody ?? {}, 'body');
      const { version, ...simulation } = input;
      const found = await stored(idOf(event), version);
      const profile = await findProfile(knownUserKey(simulation.userId), (k) => adapters.profiles.get(k));
      const all = await segments.list();
      const report = await simulateJourney(found.version.definition, simulation, {
        storedProfile: profile?.profile,
        segments: new Map(all.map((s) => [s.id, s.condition])),
      });
      return jsonResponse(200, { journeyId: found.head.id, version: found.version.version, ...report });
    },
    'POST /admin/v1/journeys/{id}/enter': async (event) => {
      const { userIds, requestId } = parse(enterSchema, event.jsonBody, 'body');
      const index = new JourneyIndex(await journeys.live(), new Map((await segments.list()).map((s) => [s.id, s.condition])));
      const journey = index.journey(idOf(event));
      const definition = index.activeDefinition(idOf(event));
      if (!journey || !definition) throw new InvalidRequestError(`journey ${idOf(event)} is not active`);
      const request = requestId ?? event.requestContext.requestId;
      const results: Record<string, string> = {};
      for (const userId of userIds) {
        results[userId] = await enterNow(journey, definition, knownUserKey(userId), `${request}:${userId}`, index, adapters, clock.now());
      }
      return jsonResponse(200, { results });
    },
    'GET /admin/v1/journeys/{id}/instances': async (event) => {
      const { userId } = parse(instancesQuery, event.queryStringParameters ?? {}, 'query');
      const found = await findProfile(knownUserKey(userId), (k) => adapters.profiles.get(k));
      const instances = await adapters.instances.list(found?.profile.userKey ?? knownUserKey(userId), idOf(event));
      return jsonResponse(200, { instances });
    },

    'POST /admin/v1/segments': async (event) => {
      const segment = parse(segmentSchema, event.jsonBody, 'body');
      if (await segments.get(segment.id)) throw new InvalidRequestError(`segment ${segment.id} exists; PUT /admin/v1/segments/${segment.id} changes it`, 'body.id');
      await segments.put(segment);
      return jsonResponse(201, segment);
    },
    'GET /admin/v1/segments': async () => jsonResponse(200, { segments: await segments.list() }),
    'GET /admin/v1/segments/{id}': async (event) => {
      const segment = await segments.get(idOf(event));
      if (!segment) throw new NotFoundError(`no segment has the id ${idOf(event)}`);
      return jsonResponse(200, segment);
    },
    'PUT /admin/v1/segments/{id}': async (event) => {
      const segment = parse(segmentSchema, event.jsonBody, 'body');
      assertSameId(segment.id, idOf(event));
      await segments.put(segment);
      return jsonResponse(200, segment);
    },
    'DELETE /admin/v1/segments/{id}': async (event) => {
      if (!(await segments.delete(idOf(event)))) throw new NotFoundError(`no segment has the id ${idOf(event)}`);
      return { statusCode: 204 };
    },
    'POST /admin/v1/segments/{id}/estimate': async (event) => {
      const segment = await segments.get(idOf(event));
      if (!segment) throw new NotFoundError(`no segment has the id ${idOf(event)}`);
      const all = new Map((await segments.list()).map((s) => [s.id, s.condition]));
      const now = clock.now();
      let matching = 0;
      const profiles = await adapters.profiles.scan((profile) => {
        if (evaluateCondition(segment.condition, profileSubject(profile), now, (id) => all.get(id))) matching++;
      });
      return jsonResponse(200, { segmentId: segment.id, matching, profiles, at: now.toISOString() });
    },
  };
}

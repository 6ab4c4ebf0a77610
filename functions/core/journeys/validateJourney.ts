// Structural validation of a journey: every reference resolves, every path ends, every step is reachable.

import { journeyDefinitionSchema, type JourneyDefinition, type Step } from './definition.js';

export type JourneyProblem = { path: string; message: string };

/** The steps a step can lead to, with the field that names each. */
export function successors(step: Step): { field: string; to: string }[] {
  switch (step.type) {
    case 'wait':
    case 'send':
    case 'update-profile':
      return [{ field: 'next', to: step.next }];
    case 'wait-for-event':
      return [
        { field: 'onEvent', to: step.onEvent },
        { field: 'onTimeout', to: step.onTimeout },
      ];
    case 'branch':
      return [
        { field: 'then', to: step.then },
        { field: 'else', to: step.else },
      ];
    case 'split':
      return step.variants.map((v, i) => ({ field: `variants[${i}].next`, to: v.next }));
    case 'exit':
      return [];
  }
}

/** Parses and checks a journey; the problems name the path of the offending field or step. */
export function validateJourney(
  input: unknown,
): { ok: true; definition: JourneyDefinition } | { ok: false; problems: JourneyProblem[] } {
  const parsed = journeyDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    };
  }
  const definition = parsed.data;
  const problems = graphProblems(definition);
  return problems.length === 0 ? { ok: true, definition } : { ok: false, problems };
}

function graphProblems(d: JourneyDefinition): JourneyProblem[] {
  const problems: JourneyProblem[] = [];
  if (!d.steps[d.start]) problems.push({ path: 'start', message: `unknown step "${d.start}"` });
  for (const [id, step] of Object.entries(d.steps)) {
    for (const { field, to } of successors(step)) {
      if (!d.steps[to]) problems.push({ path: `steps.${id}.${field}`, message: `unknown step "${to}"` });
    }
    if (step.type === 'branch' && step.message) {
      const target = d.steps[step.message.step];
      if (target?.type !== 'send') {
        problems.push({ path: `steps.${id}.message.step`, message: `"${step.message.step}" is not a send step` });
      }
    }
  }
  if (problems.length > 0) return problems;

  // Depth-first from the start: a step met again on the current path is a cycle, so some path never ends.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): void => {
    state.set(id, 'open');
    for (const { field, to } of successors(d.steps[id])) {
      const where = `steps.${id}.${field}`;
      if (state.get(to) === 'open')
        problems.push({ path: where, message: `leads back to "${to}": this path never ends` });
      else if (!state.has(to)) visit(to);
    }
    state.set(id, 'done');
  };
  visit(d.start);
  for (const id of Object.keys(d.steps)) {
    if (!state.has(id)) problems.push({ path: `steps.${id}`, message: 'unreachable from the start step' });
  }
  return problems;
}

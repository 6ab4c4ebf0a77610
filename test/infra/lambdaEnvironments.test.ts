// Every synthesized function's environment satisfies its Lambda entry's schema: lib/ and functions/ cannot drift.
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { handlerEntries } from '../../lib/bundling.js';
import { RetainFunction } from '../../lib/RetainFunction.js';
import { lambdaSchemas, type LambdaName } from '../../functions/lambdas/schemas.js';
import { plausibleValue } from '../support/plausibleEnvironment.js';
import { buildRetainApp } from '../support/retainApp.js';

type Synthesized = { id: string; name: LambdaName; variables: Record<string, string> };

/** Each function with its entry's name and its environment, CDK tokens (Ref, GetAtt, Join) made plausible values. */
function synthesizedFunctions(): Synthesized[] {
  const { stack } = buildRetainApp();
  const resources = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const byEntry = new Map<string, LambdaName>(
    Object.entries(handlerEntries).map(([name, entry]) => [entry, name as LambdaName]),
  );
  return stack.node
    .findAll()
    .filter((c): c is RetainFunction => c instanceof RetainFunction)
    .map((fn) => {
      const id = Stack.of(fn).getLogicalId(fn.function.node.defaultChild as CfnElement);
      const raw = (resources[id].Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      const variables = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : plausibleValue(k)]),
      );
      const name = byEntry.get(fn.entry);
      if (!name) throw new Error(`${fn.node.path}: ${fn.entry} is not one of handlerEntries`);
      return { id, name, variables };
    });
}

describe('Lambda environments', () => {
  let functions: Synthesized[];
  // Synthesis takes a minute on a busy machine.
  beforeAll(() => {
    functions = synthesizedFunctions();
  }, 300_000);

  it('gives every function the variables its entry parses at cold start', () => {
    expect(functions.length).toBeGreaterThanOrEqual(Object.keys(handlerEntries).length);
    for (const fn of functions) {
      const parsed = lambdaSchemas[fn.name].safeParse(fn.variables);
      expect(parsed.error?.issues.map((i) => `${fn.id} (${fn.name}) ${i.path.join('.')}: ${i.message}`) ?? []).toEqual(
        [],
      );
    }
  });

  it('has a schema for every entry and an entry for every schema', () => {
    expect(Object.keys(lambdaSchemas).sort()).toEqual(Object.keys(handlerEntries).sort());
    expect(new Set(functions.map((f) => f.name))).toEqual(new Set(Object.keys(handlerEntries)));
  });

  it('would fail if lib/ stopped setting a variable an entry requires', () => {
    for (const fn of functions) {
      const schema = lambdaSchemas[fn.name];
      const shape = schema.shape as Record<string, z.ZodType>;
      const required = Object.keys(shape).filter((k) => !shape[k].safeParse(undefined).success);
      for (const name of required) {
        const { [name]: _dropped, ...rest } = fn.variables;
        expect(schema.safeParse(rest).success, `${fn.name} without ${name}`).toBe(false);
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { validateJourney } from '../../functions/core/journeys/validateJourney.js';

const base = {
  id: 'cart',
  name: 'Cart',
  trigger: { kind: 'event', event: 'Product Added' },
  start: 'wait',
  steps: {
    wait: { type: 'wait', duration: '24h', next: 'send' },
    send: { type: 'send', channel: 'push', template: 'cart-reminder', next: 'done' },
    done: { type: 'exit' },
  },
};

describe('validateJourney', () => {
  it('accepts a well-formed journey and fills defaults', () => {
    const result = validateJourney(base);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.definition.reentry).toEqual({ policy: 'one-at-a-time' });
      expect(result.definition.exitOn).toEqual([]);
    }
  });

  it('names the path of an unknown step', () => {
    const result = validateJourney({
      ...base,
      steps: { ...base.steps, send: { ...base.steps.send, next: 'nowhere' } },
    });
    expect(result).toEqual({ ok: false, problems: [{ path: 'steps.send.next', message: 'unknown step "nowhere"' }] });
  });

  it('refuses a cycle, because that path never ends', () => {
    const result = validateJourney({ ...base, steps: { ...base.steps, send: { ...base.steps.send, next: 'wait' } } });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems).toContainEqual({
        path: 'steps.send.next',
        message: 'leads back to "wait": this path never ends',
      });
  });

  it('refuses unreachable steps and an unknown start', () => {
    const orphan = validateJourney({ ...base, steps: { ...base.steps, orphan: { type: 'exit' } } });
    expect(!orphan.ok && orphan.problems).toEqual([
      { path: 'steps.orphan', message: 'unreachable from the start step' },
    ]);
    const start = validateJourney({ ...base, start: 'missing' });
    expect(!start.ok && start.problems[0]).toEqual({ path: 'start', message: 'unknown step "missing"' });
  });

  it('reports schema problems with their path', () => {
    const result = validateJourney({ ...base, steps: { ...base.steps, wait: { type: 'wait', next: 'send' } } });
    expect(!result.ok && result.problems[0].path).toBe('steps.wait.duration');
    const branch = validateJourney({
      ...base,
      start: 'b',
      steps: {
        ...base.steps,
        b: { type: 'branch', message: { step: 'wait', outcome: 'opened' }, then: 'wait', else: 'done' },
      },
    });
    expect(!branch.ok && branch.problems[0]).toEqual({
      path: 'steps.b.message.step',
      message: '"wait" is not a send step',
    });
  });
});

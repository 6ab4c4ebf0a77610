// X-Ray tracing of a handler (Powertools Tracer), only where the stack turned active tracing on.

import type { MiddlewareObj, Request } from '@middy/core';

type Phase = 'before' | 'after' | 'onError';
type Capture = Partial<Record<Phase, (request: Request) => unknown>>;

/**
 * The handler's segment, annotated with the cold start and service. The Tracer (and the X-Ray SDK under it,
 * ~130 KB) is loaded on the first invocation and only when POWERTOOLS_TRACE_ENABLED is `true`: tracing is off
 * by default and a cold start should not evaluate it. Responses are not captured: a batch response or an
 * API body may carry customer data, which has no place in a trace.
 */
export function traced(): MiddlewareObj {
  if (process.env.POWERTOOLS_TRACE_ENABLED !== 'true') return { before: () => undefined };
  let capture: Promise<Capture> | undefined;
  const load = () =>
    (capture ??= Promise.all([
      import('@aws-lambda-powertools/tracer'),
      import('@aws-lambda-powertools/tracer/middleware'),
    ]).then(([{ Tracer }, { captureLambdaHandler }]) =>
      captureLambdaHandler(new Tracer({ serviceName: 'retain' }), { captureResponse: false }),
    ) as Promise<Capture>);
  const phase = (name: Phase) => async (request: Request) => {
    await (await load())[name]?.(request);
  };
  return { before: phase('before'), after: phase('after'), onError: phase('onError') };
}

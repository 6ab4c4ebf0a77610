// X-Ray tracing of a handler (Powertools Tracer): on only where the stack enabled active tracing, a no-op
// elsewhere (POWERTOOLS_TRACE_ENABLED=false, the local runtime, the tests).

import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

const tracer = new Tracer({ serviceName: 'retain' });

/**
 * The handler's segment, annotated with the cold start and service. Responses are not captured: a batch
 * response or an API body may carry customer data, which has no place in a trace.
 */
export function traced() {
  return captureLambdaHandler(tracer, { captureResponse: false });
}

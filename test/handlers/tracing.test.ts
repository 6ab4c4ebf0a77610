// With tracing on, a handler's segment reaches the X-Ray daemon (a UDP socket standing in for it here);
// with it off, the Tracer is never loaded.
import { createSocket, type Socket } from 'node:dgram';
import middy from '@middy/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traced } from '../../functions/handlers/middleware/tracing.js';
import { context } from '../support/awsEvents.js';

let daemon: Socket;
const received: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (message) => received.push(message.toString()));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
});

afterAll(() => {
  daemon.close();
  process.env = saved;
});

describe('tracing', () => {
  it('is a no-op when the stack left tracing off', () => {
    process.env.POWERTOOLS_TRACE_ENABLED = 'false';
    const middleware = traced();
    expect(Object.keys(middleware)).toEqual(['before']);
  });

  it('sends the handler subsegment to the X-Ray daemon when tracing is on', async () => {
    // As Lambda sets them for a function with active tracing.
    Object.assign(process.env, {
      POWERTOOLS_TRACE_ENABLED: 'true',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: 'retain-send-email',
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      LAMBDA_TASK_ROOT: '/var/task',
      _HANDLER: 'index.handler',
    });
    const handler = middy(async () => ({ ok: true })).use(traced());
    expect(await handler({}, context('retain-send-email'))).toEqual({ ok: true });
    const deadline = Date.now() + 5000;
    while (!received.some((m) => m.includes('## index.handler')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const segment = received.find((m) => m.includes('## index.handler'));
    expect(segment).toBeDefined();
    expect(segment).toContain('1-5759e988-bd862e3fe1be46a994272793');
    expect(segment).toContain('ColdStart');
  });
});

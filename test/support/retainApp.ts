// The stack as the infra tests synthesize it: default settings, and esbuild skipped (`cdk synth` bundles for real).

import { App } from 'aws-cdk-lib';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RetainStack } from '../../lib/RetainStack.js';

export function buildRetainApp() {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'retain-cdk-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new RetainStack(app, 'Retain', {
    eventRetentionDays: 90,
    ingestRateLimit: 1000,
    ingestBurstLimit: 2000,
  });
  return { app, stack };
}

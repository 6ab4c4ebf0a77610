// The stack as the infra tests synthesize it: default settings, and esbuild skipped (`cdk synth` bundles for real).

import { App } from 'aws-cdk-lib';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RetainStack, type RetainStackProps } from '../../lib/RetainStack.js';

export function buildRetainApp(overrides: Partial<RetainStackProps> = {}) {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'retain-cdk-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new RetainStack(app, 'Retain', {
    eventRetentionDays: 90,
    ingestRateLimit: 1000,
    ingestBurstLimit: 2000,
    ...overrides,
  });
  return { app, stack };
}

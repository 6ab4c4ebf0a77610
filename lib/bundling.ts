// How every Lambda is bundled: one definition for the stack and for the benchmark's size figures.

import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** ESM needs `require` for the few CommonJS dependencies that call it at run time. */
export const ESM_REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export const bundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_SHIM,
  // The Node.js 24 runtime ships AWS SDK v3; bundling it again would only slow cold starts and deploys.
  // DuckDB is the local report engine only (a native module, loaded lazily); Lambdas use Athena.
  externalModules: ['@aws-sdk/*', '@duckdb/node-api'],
};

/** Every entry point, by the name its function has in the stack. */
export const handlerEntries = {
  ingest: 'functions/handlers/ingest.ts',
  admin: 'functions/handlers/admin.ts',
  adminAuthorizer: 'functions/handlers/adminAuthorizer.ts',
  processEvents: 'functions/handlers/processEvents.ts',
  journeyStep: 'functions/handlers/journeyStep.ts',
  sendMessage: 'functions/handlers/sendMessage.ts',
  sesEvents: 'functions/handlers/sesEvents.ts',
  unsubscribe: 'functions/handlers/unsubscribe.ts',
  broadcastFanOut: 'functions/handlers/broadcastFanOut.ts',
  providerReports: 'functions/handlers/providerReports.ts',
  archiveEvents: 'functions/handlers/archiveEvents.ts',
  dailyRefresh: 'functions/handlers/dailyRefresh.ts',
} as const;

// How every Lambda is bundled: one definition for the stack and for the benchmark's size figures.

import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** ESM needs `require` for the few CommonJS dependencies that call it at run time. */
export const ESM_REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export const bundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_SHIM,
  // The Node.js 24 runtime ships AWS SDK v3's clients and libraries; bundling them again would only slow cold
  // starts and deploys. The S3 presigner is bundled: it is not a client, and the admin API's import upload URL
  // must not depend on what a runtime image happens to hold.
  // DuckDB is the local report engine only (a native module, loaded lazily); Lambdas use Athena.
  externalModules: ['@aws-sdk/client-*', '@aws-sdk/lib-*', '@aws-sdk/util-dynamodb', '@duckdb/node-api'],
};

/** Every entry point, by the name its function has in the stack. */
export const handlerEntries = {
  ingest: 'functions/lambdas/ingest.ts',
  admin: 'functions/lambdas/admin.ts',
  adminAuthorizer: 'functions/lambdas/adminAuthorizer.ts',
  processEvents: 'functions/lambdas/processEvents.ts',
  journeyStep: 'functions/lambdas/journeyStep.ts',
  sendMessage: 'functions/lambdas/sendMessage.ts',
  sesEvents: 'functions/lambdas/sesEvents.ts',
  unsubscribe: 'functions/lambdas/unsubscribe.ts',
  broadcastFanOut: 'functions/lambdas/broadcastFanOut.ts',
  providerReports: 'functions/lambdas/providerReports.ts',
  archiveEvents: 'functions/lambdas/archiveEvents.ts',
  dailyRefresh: 'functions/lambdas/dailyRefresh.ts',
  archiveErasure: 'functions/lambdas/archiveErasure.ts',
  importFile: 'functions/lambdas/importFile.ts',
  importChunks: 'functions/lambdas/importChunks.ts',
} as const;

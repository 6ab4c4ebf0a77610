// One DynamoDB Local for the whole run (started in globalSetup); each test file makes its own tables.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A poll waits on a condition (a page re-fetching, a queue draining); a second is too little on a loaded 2-core CI.
    expect: { poll: { timeout: 15_000 } },
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.test-report.json' }]],
    pool: 'forks',
    maxWorkers: 2,
  },
});

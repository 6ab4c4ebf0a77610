// Starts DynamoDB Local once per test run on a free port and hands its address to every test file.
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../functions/local/dynamoDbLocal.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}

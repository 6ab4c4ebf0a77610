// A write under a condition: whether it happened, with a failed condition as an answer rather than an error.

/** Resolves to the write's result, or to `undefined` when DynamoDB refused it on its condition. */
export async function unlessConditionFails<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}

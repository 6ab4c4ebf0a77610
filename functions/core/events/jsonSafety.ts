// Checks a parsed JSON value for what JSON.parse lets through but Retain must not store.

import { FORBIDDEN_KEYS, MAX_JSON_DEPTH } from './limits.js';

export type JsonProblem = { path: string; message: string };

/**
 * Walks a parsed message once and returns the first problem: a prototype-polluting key, nesting deeper
 * than MAX_JSON_DEPTH, or a number JSON.parse turned into Infinity (`1e400`), which would be stored as null.
 */
export function findJsonProblem(value: unknown, path = ''): JsonProblem | undefined {
  return walk(value, path, 0);
}

function walk(value: unknown, path: string, depth: number): JsonProblem | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { path, message: 'number is out of range' };
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_JSON_DEPTH) return { path, message: `nesting deeper than ${MAX_JSON_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = walk(value[i], `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return { path: childPath, message: `the key "${key}" is not allowed` };
    const problem = walk((value as Record<string, unknown>)[key], childPath, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

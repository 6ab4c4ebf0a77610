// Admin route implementations for customer imports: start a job, apply a chunk of its records, read its report,
// list the latest, stop one.

import {
  cancelImport,
  importProgress,
  importRecords,
  findImport,
  latestImports,
  startImport,
} from '../../core/imports/importJobs.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';

export function importRoutes(deps: AdminDeps) {
  return {
    startImport: async ({ body: { upload, encoding, advertising, ...input }, actor }) =>
      jsonResponse(
        201,
        await startImport({ ...input, ...(upload ? { upload: { encoding, advertising } } : {}) }, actor.name, deps),
      ),
    importRecords: async ({ params: { id }, body }) => {
      const job = await findImport(id, deps);
      const { chunk, repeated } = await importRecords(job, { customers: body.records, refused: body.refused }, deps);
      return jsonResponse(200, { ...chunk, repeated });
    },
    listImports: async ({ query: { limit } }) => jsonResponse(200, { imports: await latestImports(limit, deps) }),
    cancelImport: async ({ params: { id }, actor }) => jsonResponse(200, await cancelImport(id, actor.name, deps)),
    getImport: async ({ params: { id } }) => jsonResponse(200, await importProgress(id, deps)),
  } satisfies SomeImplementations;
}

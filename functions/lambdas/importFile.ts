// Lambda entry of the import-file worker: its environment (parsed at cold start), its ports, its handler.

import * as ports from '../adapters/aws/awsPorts.js';
import { parseEnvironment } from '../environment.js';
import { createImportFileHandler } from '../handlers/importFile.js';
import { lambdaSchemas } from './schemas.js';

const env = parseEnvironment(lambdaSchemas.importFile);
const aws = ports.awsContext();
export const handler = createImportFileHandler({
  imports: ports.importJobStore(aws, env),
  importFiles: ports.importFiles(aws, env),
  importChunks: ports.importChunkQueue(aws, env),
});

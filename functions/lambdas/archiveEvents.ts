// Lambda entry of archive-events: its environment (parsed at cold start), the archive, its handler.

import { awsContext, eventArchive } from '../adapters/aws/awsPorts.js';
import { parseEnvironment } from '../environment.js';
import { createArchiveEventsHandler } from '../handlers/archiveEvents.js';
import { lambdaSchemas } from './schemas.js';

export const handler = createArchiveEventsHandler(
  eventArchive(awsContext(), parseEnvironment(lambdaSchemas.archiveEvents)),
);

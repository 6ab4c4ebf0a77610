// Handler modules build a default handler from the environment when imported; give them one.
import { tableEnvVar, tableNamesWithPrefix, type TableKey } from '../../functions/tables.js';

const names = tableNamesWithPrefix('unused-');
for (const key of Object.keys(names) as TableKey[]) process.env[tableEnvVar[key]] ??= names[key];
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'local';

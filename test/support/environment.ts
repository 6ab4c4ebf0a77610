// Handler modules build a default handler from the environment when imported; give them one.
import { tableEnvVar, tableNamesWithPrefix, type TableKey } from '../../functions/tables.js';

const names = tableNamesWithPrefix('unused-');
for (const key of Object.keys(names) as TableKey[]) process.env[tableEnvVar[key]] ??= names[key];
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'local';
// The functions that run journeys refuse to start without their queues; these are never called in tests.
process.env.JOURNEY_STEPS_QUEUE_URL ??= 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/unused-steps';
process.env.JOURNEY_STEPS_QUEUE_ARN ??= 'arn:aws:sqs:ap-northeast-2:123456789012:unused-steps';
process.env.SCHEDULER_ROLE_ARN ??= 'arn:aws:iam::123456789012:role/unused';
process.env.SCHEDULER_DLQ_ARN ??= 'arn:aws:sqs:ap-northeast-2:123456789012:unused-dlq';
process.env.EMAIL_QUEUE_URL ??= 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/unused-email';
process.env.PUSH_QUEUE_URL ??= 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/unused-push';
process.env.UNSUBSCRIBE_SECRET ??= 'test-unsubscribe-secret-0123456789abcdef';

// Real-shaped AWS events for handler tests: API Gateway HTTP API v2 requests and DynamoDB stream records.
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2, Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { toEventItem } from '../../functions/adapters/aws/dynamodb/DynamoEventStore.js';
import type { StoredEvent } from '../../functions/core/events/storedEvent.js';
import { lambdaContext } from '../../functions/local/apiGateway.js';
import { matchRoute, routeKey } from '../../functions/routes.js';

export function httpEvent(options: {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  query?: Record<string, string>;
  authorizer?: Record<string, unknown>;
}): APIGatewayProxyEventV2 {
  const match = matchRoute(options.method, options.path);
  if (!('route' in match)) throw new Error(`no route for ${options.method} ${options.path}`);
  const raw =
    options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
  const binary = raw !== undefined && !Buffer.from(raw.toString('utf8')).equals(raw);
  return {
    version: '2.0',
    routeKey: routeKey(match.route),
    rawPath: options.path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: {
      'content-type': 'application/json',
      host: 'abc123.execute-api.ap-northeast-2.amazonaws.com',
      ...options.headers,
    },
    queryStringParameters: options.query,
    pathParameters: Object.keys(match.pathParameters).length ? match.pathParameters : undefined,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.ap-northeast-2.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: options.method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'analytics-node',
      },
      requestId: 'req-1',
      routeKey: routeKey(match.route),
      stage: '$default',
      time: '23/Nov/2026:10:00:00 +0000',
      timeEpoch: Date.parse('2026-11-23T10:00:00Z'),
      ...(options.authorizer ? { authorizer: { lambda: options.authorizer } } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    body: raw === undefined ? undefined : binary ? raw.toString('base64') : raw.toString('utf8'),
    isBase64Encoded: binary,
  };
}

export const basicAuth = (writeKey: string) => ({
  authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
});

let sequence = 100_000_000_000_000_000_000n;

export function streamRecord(event: StoredEvent, eventName: DynamoDBRecord['eventName'] = 'INSERT'): DynamoDBRecord {
  sequence += 1n;
  const item = toEventItem(event, 90);
  return {
    eventID: `id-${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ap-northeast-2',
    eventSourceARN: 'arn:aws:dynamodb:ap-northeast-2:123456789012:table/Retain-Events/stream/2026-11-23T00:00:00.000',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.parse(event.receivedAt) / 1000),
      Keys: marshall({ userKey: item.userKey, sk: item.sk }) as never,
      NewImage: marshall(item, { removeUndefinedValues: true }) as never,
      SequenceNumber: sequence.toString(),
      SizeBytes: 300,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

export const streamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

export const context = (name = 'test'): Context => lambdaContext(name);

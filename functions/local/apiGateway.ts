// A local stand-in for API Gateway's HTTP API: requests become v2 events for the same handlers.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  Context,
} from 'aws-lambda';
import { matchRoute, routeKey, type RouteTarget } from '../routes.js';
import { openApiDocument } from '../routes/openApi.js';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
export type Authorizer = (
  event: APIGatewayRequestAuthorizerEventV2,
) => Promise<APIGatewaySimpleAuthorizerWithContextResult<Record<string, unknown>>>;

export type LocalRoute = (body: unknown, query: Record<string, string>) => Promise<{ status: number; body: unknown }>;

export type LocalApiOptions = {
  handlers: Record<RouteTarget, HttpHandler>;
  adminAuthorizer: Authorizer;
  /** Extra routes only the local runtime has (health, the clock); answered before the route table. */
  localRoutes?: (method: string, path: string) => LocalRoute | undefined;
  /** Files served as they are, before any route (the console under /console/). */
  staticAssets?: (
    method: string,
    path: string,
  ) => { status: number; headers: Record<string, string>; body: Buffer } | undefined;
  /** The imports bucket's presigned PUT (the body streamed, any size, as S3 takes it); undefined for other paths. */
  uploads?: (
    method: string,
    url: URL,
    req: IncomingMessage,
  ) => Promise<{ status: number; headers: Record<string, string>; body: Buffer } | undefined>;
  /** The local mailer's open pixel and click redirects (SES serves these in AWS); undefined for other paths. */
  emailTracking?: (
    method: string,
    path: string,
  ) => Promise<{ status: number; headers: Record<string, string>; body: Buffer } | undefined>;
};

/** API Gateway's own payload limit; larger bodies never reach a Lambda. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** As lib/PublicApi.ts configures API Gateway: Analytics.js retries with X-Retry-Count. */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization,content-type,content-encoding,x-retry-count',
  'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS',
  'access-control-max-age': '86400',
};

export function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function createLocalApi(options: LocalApiOptions): Server {
  return createServer((req, res) => {
    handle(req, res, options).catch((error: Error) => {
      send(
        res,
        500,
        { 'content-type': 'application/json' },
        JSON.stringify({ message: `local gateway: ${error.message}` }),
      );
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, options: LocalApiOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'OPTIONS') return send(res, 204, CORS_HEADERS, '');
  const upload = await options.uploads?.(method, url, req);
  if (upload) return send(res, upload.status, { ...CORS_HEADERS, ...upload.headers }, upload.body);
  const raw = await readBody(req);
  if (raw === undefined) return send(res, 413, CORS_HEADERS, JSON.stringify({ message: 'Request Entity Too Large' }));

  if (method === 'GET' && (url.pathname === '/docs' || url.pathname.startsWith('/docs/')))
    return apiDocs(res, url.pathname);
  const asset = options.staticAssets?.(method, url.pathname);
  if (asset) return send(res, asset.status, asset.headers, asset.body);
  const hit = await options.emailTracking?.(method, url.pathname);
  if (hit) return send(res, hit.status, hit.headers, hit.body);
  const headers = lowerCaseHeaders(req);
  const local = options.localRoutes?.(method, url.pathname);
  if (local) {
    // Local-only admin routes (the clock) are guarded by the same admin token.
    if (url.pathname.startsWith('/admin/')) {
      const decision = await authorize(options, headers, method, url.pathname);
      if ('denied' in decision) return denied(res, decision.denied);
    }
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      return send(
        res,
        400,
        { 'content-type': 'application/json' },
        JSON.stringify({
          success: false,
          error: { code: 'invalid_request', message: 'the request body is not valid JSON' },
        }),
      );
    }
    const answer = await local(body, Object.fromEntries(url.searchParams));
    return send(res, answer.status, { 'content-type': 'application/json' }, JSON.stringify(answer.body));
  }

  let match: ReturnType<typeof matchRoute>;
  try {
    match = matchRoute(method, url.pathname);
  } catch {
    return send(res, 400, {}, JSON.stringify({ message: 'Bad Request' }));
  }
  if (!('route' in match)) return send(res, 404, CORS_HEADERS, JSON.stringify({ message: 'Not Found' }));

  const { route, pathParameters } = match;
  const now = new Date();
  const requestContext: APIGatewayProxyEventV2['requestContext'] = {
    accountId: '000000000000',
    apiId: 'local',
    domainName: headers.host ?? 'localhost',
    domainPrefix: 'local',
    http: {
      method,
      path: url.pathname,
      protocol: `HTTP/${req.httpVersion}`,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      userAgent: headers['user-agent'] ?? '',
    },
    requestId: randomUUID(),
    routeKey: routeKey(route),
    stage: '$default',
    time: now.toUTCString(),
    timeEpoch: now.getTime(),
  };
  // API Gateway hands text through as is and base64-encodes what is not valid UTF-8.
  const text = raw.toString('utf8');
  const isBase64Encoded = raw.length > 0 && !Buffer.from(text, 'utf8').equals(raw);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    // API Gateway tells the Lambda the scheme the client used; here it is plain HTTP unless a proxy says otherwise.
    headers: { 'x-forwarded-proto': 'http', ...headers },
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
    requestContext,
    body: raw.length === 0 ? undefined : isBase64Encoded ? raw.toString('base64') : text,
    isBase64Encoded,
  };

  if (route.auth === 'admin-token') {
    const decision = await authorize(options, headers, method, url.pathname);
    if ('denied' in decision) return denied(res, decision.denied);
    (event.requestContext as { authorizer?: unknown }).authorizer = { lambda: decision.context };
  }

  const result = await options.handlers[route.target](event, lambdaContext(`retain-${route.target}`));
  const responseHeaders = {
    ...(route.target === 'ingest' ? CORS_HEADERS : {}),
    ...(result.headers as Record<string, string>),
  };
  const body =
    result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  send(res, result.statusCode ?? 200, responseHeaders, body);
}

/** Swagger UI from its npm package (no CDN), over the document generated from the route table. */
const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const SWAGGER_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Retain API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '/docs/openapi.json',
      dom_id: '#swagger-ui',
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
      persistAuthorization: false,
    });
  </script>
</body>
</html>
`;

async function apiDocs(res: ServerResponse, path: string): Promise<void> {
  if (path === '/docs' || path === '/docs/')
    return send(res, 200, { 'content-type': 'text/html; charset=utf-8' }, DOCS_PAGE);
  const name = path.slice('/docs/'.length);
  if (name === 'openapi.json') {
    return send(res, 200, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(openApiDocument()));
  }
  const type = SWAGGER_FILES[name];
  if (!type) return send(res, 404, {}, JSON.stringify({ message: 'Not Found' }));
  send(res, 200, { 'content-type': type, 'cache-control': 'max-age=3600' }, await readFile(join(SWAGGER_UI, name)));
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, headers);
  res.end(body);
}

/** The admin authorizer as API Gateway runs it: 401 without a token (no call), 403 when it says no. */
async function authorize(
  options: LocalApiOptions,
  headers: Record<string, string>,
  method: string,
  path: string,
): Promise<{ denied: 401 | 403 } | { context: Record<string, unknown> }> {
  if (!headers.authorization) return { denied: 401 };
  const decision = await options.adminAuthorizer({
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:local:000000000000:local/$default/${method}${path}`,
    identitySource: [headers.authorization],
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: {} as never,
    cookies: [],
    stageVariables: {},
  });
  return decision.isAuthorized ? { context: decision.context } : { denied: 403 };
}

function denied(res: ServerResponse, status: 401 | 403): void {
  send(res, status, {}, JSON.stringify({ message: status === 401 ? 'Unauthorized' : 'Forbidden' }));
}

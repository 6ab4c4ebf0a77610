// The admin API client: generated types (schema.ts) over openapi-fetch, the token on every request.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type AdminApi = ReturnType<typeof createAdminApi>;
export type Schemas = components['schemas'];

/** What the API said when it refused, in its own words: code, message and the field it concerns. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function createAdminApi(baseUrl: string, token: string) {
  const client = createClient<paths>({ baseUrl: baseUrl || window.location.origin });
  const auth: Middleware = {
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  };
  client.use(auth);
  return client;
}

/**
 * The body of a successful answer, or an ApiRefusal. The API answers `{success:false,error:{…}}`; the
 * gateway's own refusals (401, 403, 413) carry only `{message}`, so those are named after their status.
 */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw refusalOf(response.status, error);
}

export function refusalOf(status: number, body: unknown): ApiRefusal {
  const error = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiRefusal(status, error.code, error.message, typeof error.field === 'string' ? error.field : undefined);
  }
  const message = (body as { message?: unknown } | undefined)?.message;
  const code = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : `http_${status}`;
  return new ApiRefusal(status, code, typeof message === 'string' ? message : `HTTP ${status}`);
}

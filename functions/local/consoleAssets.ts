// Serves the built console (console/dist) under /console/, with index.html for every app route and a config.json.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ConsoleAsset = { status: number; headers: Record<string, string>; body: Buffer };
export type ConsoleAssets = (method: string, path: string) => ConsoleAsset | undefined;

export type ConsoleAssetsOptions = {
  /** The built console; console/dist of this checkout unless told. */
  distDir?: string;
  /** The admin API's origin as the browser reaches it; empty for the console's own origin. */
  apiUrl?: string;
  /** The local runtime: the console may show local-only tools (the clock). */
  local?: boolean;
};

const PREFIX = '/console';
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export const defaultConsoleDist = fileURLToPath(new URL('../../console/dist/', import.meta.url));

/**
 * `(method, path) => asset | undefined`: undefined for anything outside /console, so the caller's routes
 * answer it. Hashed assets are cached for a year; index.html and config.json never, so a rebuild shows at once.
 */
export function createConsoleAssets(options: ConsoleAssetsOptions = {}): ConsoleAssets {
  const root = resolve(options.distDir ?? defaultConsoleDist);
  const config = Buffer.from(JSON.stringify({ apiUrl: options.apiUrl ?? '', local: options.local ?? false }));

  const file = (path: string, cache: string): ConsoleAsset => ({
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': cache,
      ...SECURITY_HEADERS,
    },
    body: readFileSync(path),
  });
  const text = (status: number, message: string): ConsoleAsset => ({
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
    body: Buffer.from(message),
  });

  return (method, rawPath) => {
    const pathname = rawPath.split(/[?#]/, 1)[0];
    if (pathname !== PREFIX && !pathname.startsWith(`${PREFIX}/`)) return undefined;
    if (method !== 'GET' && method !== 'HEAD') return text(405, 'the console is read-only: GET or HEAD');
    if (pathname === PREFIX) return { status: 308, headers: { location: `${PREFIX}/` }, body: Buffer.alloc(0) };

    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(PREFIX.length + 1));
    } catch {
      return text(400, 'the path is not valid percent-encoding');
    }
    if (relative === 'config.json') {
      const headers = { 'content-type': CONTENT_TYPES['.json'], 'cache-control': 'no-store', ...SECURITY_HEADERS };
      return { status: 200, headers, body: config };
    }
    const index = join(root, 'index.html');
    if (!existsSync(index)) {
      return text(503, 'the console is not built: run `npm run console:build` (npm install builds it too)');
    }
    // Resolve, then insist the result is still inside dist: `..`, encoded or not, never leaves it.
    const target = resolve(root, relative);
    if (relative.includes('\0') || (target !== root && !target.startsWith(root + sep))) return text(404, 'not found');
    if (target !== root && existsSync(target) && statSync(target).isFile()) {
      const hashed = relative.startsWith('assets/');
      return file(target, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    // A missing file under assets/ is a real 404 (a stale chunk), not an app route.
    if (relative.startsWith('assets/')) return text(404, 'not found');
    return file(index, 'no-cache');
  };
}

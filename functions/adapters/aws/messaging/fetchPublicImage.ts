// Fetches an image from a URL a message named, connecting only to the public address that was checked.

import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, isIPv6, type LookupFunction } from 'node:net';
import { ProviderRejectedError, ProviderThrottledError } from '../../../core/errors.js';

export type ImageFetchOptions = {
  maxBytes: number;
  timeoutMs: number;
  /** Tests and the local runtime only: plain http from a loopback address. */
  allowLoopback?: boolean;
  /** Name resolution (the system resolver unless a test stands in for DNS). */
  resolve?: (host: string) => Promise<LookupAddress[]>;
};

/** Addresses an image host on the internet never has: private, loopback, link-local, CGNAT, multicast, reserved. */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 127],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv6');

const isPrivate = (address: string) => PRIVATE.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
const isLoopback = (address: string) => address === '::1' || address.startsWith('127.');

/**
 * https only, a public address, no redirects, at most `maxBytes` read, within a deadline. The name is resolved
 * once, every address it gave is checked, and the connection goes to the checked address (the socket's own
 * lookup is pinned to it): a name that answers differently the second time (DNS rebinding) cannot move the
 * request inside the network between the check and the connect.
 */
export async function fetchPublicImage(url: string, options: ImageFetchOptions): Promise<Buffer> {
  const refuse = (reason: string) => new ProviderRejectedError(`the MMS image ${url} ${reason}`, 'mms-image');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse('is not a URL');
  }
  const allowLoopback = options.allowLoopback === true;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const resolve = options.resolve ?? ((name: string) => lookup(name, { all: true }));
  const addresses = isIP(host)
    ? [{ address: host, family: isIPv6(host) ? 6 : 4 }]
    : await resolve(host).catch(() => []);
  if (addresses.length === 0) throw new ProviderThrottledError(`the MMS image host ${host} could not be resolved`);
  const loopbackOnly = addresses.every((a) => isLoopback(a.address));
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && allowLoopback && loopbackOnly))
    throw refuse('must be https');
  const inside = addresses.find((a) => isPrivate(a.address) && !(allowLoopback && isLoopback(a.address)));
  if (inside) throw refuse(`resolves to a private address (${inside.address})`);

  const pinned = addresses[0];
  const pinnedLookup: LookupFunction = (_name, lookupOptions, callback) => {
    if (lookupOptions.all) (callback as (e: null, a: LookupAddress[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const signal = AbortSignal.timeout(options.timeoutMs);
  let res: IncomingMessage;
  try {
    res = await new Promise<IncomingMessage>((resolveResponse, reject) => {
      const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(parsed, { method: 'GET', lookup: pinnedLookup, signal }, resolveResponse);
      req.on('error', reject);
      req.end();
    });
  } catch (error) {
    throw new ProviderThrottledError(`the MMS image ${url} could not be fetched: ${(error as Error).message}`);
  }
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    res.destroy();
    throw refuse(`redirects (${status}); give the image's own address`);
  }
  if (status < 200 || status >= 300) {
    res.destroy();
    throw refuse(`answered ${status}`);
  }
  const tooLarge = (size: string) => refuse(`is ${size}; carriers take at most ${options.maxBytes} bytes`);
  const declared = Number(res.headers['content-length']);
  if (declared > options.maxBytes) {
    res.destroy();
    throw tooLarge(`${declared} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > options.maxBytes) {
        res.destroy();
        throw tooLarge(`over ${options.maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ProviderRejectedError) throw error;
    throw new ProviderThrottledError(`the MMS image ${url} could not be read: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks);
}

// The ingest endpoints a Segment SDK posts to: the long names, and the one-letter paths Analytics.js 2.0 and
// the mobile SDKs use (`/v1/t`, `/v1/p`, …, `/v1/b` for a batch).

import type { MessageType } from './segmentMessage.js';

export type IngestEndpoint = MessageType | 'batch';

/** Analytics.js sends each call to `${apiHost}/${type.charAt(0)}`; batches go to `/b`. */
export const SHORT_ENDPOINTS: Readonly<Record<string, IngestEndpoint>> = {
  t: 'track',
  p: 'page',
  i: 'identify',
  s: 'screen',
  g: 'group',
  a: 'alias',
  b: 'batch',
};

/** `t` → `track`; a long name is returned as it is. */
export function ingestEndpointOf(pathSegment: string): IngestEndpoint {
  return SHORT_ENDPOINTS[pathSegment] ?? (pathSegment as IngestEndpoint);
}

// The settings document Segment's SDKs read at start (`${cdnURL}/v1/projects/<writeKey>/settings`), pointing
// them at this Retain instead of Segment's CDN and API.

/** Where the SDKs reach this Retain: `apiHost` is host and path without the scheme, as Segment writes it. */
export type SdkEndpoint = { apiHost: string; protocol: 'http' | 'https' };

/**
 * What Analytics.js 2.0 (1.84) and analytics-swift/-kotlin read: `integrations["Segment.io"]` (where to send),
 * `plan`, `middlewareSettings`, `enabledMiddleware`, `remotePlugins`, `metrics`, `edgeFunction`. Everything else
 * a Segment workspace would list (destinations, tracking plans, consent) is empty: Retain is the only
 * destination. Nothing secret goes in: the write key is public by design, it sits in every page.
 */
export function sdkSettingsOf(writeKey: string, endpoint: SdkEndpoint) {
  return {
    integrations: {
      'Segment.io': {
        apiKey: writeKey,
        apiHost: endpoint.apiHost,
        protocol: endpoint.protocol,
        unbundledIntegrations: [],
        addBundledMetadata: true,
        maybeBundledConfigIds: {},
      },
    },
    plan: { track: { __default: { enabled: true, integrations: {} } }, identify: { __default: { enabled: true } } },
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    remotePlugins: [],
    legacyVideoPluginsEnabled: false,
    // Analytics.js posts its own telemetry to Segment (`api.segment.io/v1/m`) unless told not to sample any.
    metrics: { sampleRate: 0 },
    edgeFunction: {},
  };
}

export type SdkSettings = ReturnType<typeof sdkSettingsOf>;

/**
 * The `apiHost` for a settings request that arrived at `host` + `path` (`…/projects/<key>/settings`): the same
 * host and whatever prefix the path had (a custom domain's base path, then `/v1`), so the SDKs post where the
 * settings came from.
 */
export function sdkEndpointOf(request: { host: string; path: string; forwardedProto?: string }): SdkEndpoint {
  const at = request.path.lastIndexOf('/projects/');
  const prefix = at >= 0 ? request.path.slice(0, at) : '/v1';
  // API Gateway always speaks HTTPS and says so in X-Forwarded-Proto; only a local runtime says `http`.
  const protocol = request.forwardedProto?.split(',')[0].trim().toLowerCase() === 'http' ? 'http' : 'https';
  return { apiHost: `${request.host}${prefix}`, protocol };
}

import { describe, expect, it } from 'vitest';
import { ingestEndpointOf } from '../../functions/core/events/endpoints.js';
import { sdkEndpointOf, sdkSettingsOf } from '../../functions/core/events/sdkSettings.js';
import { matchRoute } from '../../functions/routes.js';

describe('the Segment SDK surface', () => {
  it('routes the one-letter paths of Analytics.js and the mobile SDKs to the long endpoints', () => {
    const short = { t: 'track', p: 'page', i: 'identify', s: 'screen', g: 'group', a: 'alias', b: 'batch' };
    for (const [letter, endpoint] of Object.entries(short)) {
      expect(ingestEndpointOf(letter)).toBe(endpoint);
      const match = matchRoute('POST', `/v1/${letter}`);
      expect('route' in match && match.route).toMatchObject({ target: 'ingest', auth: 'write-key' });
    }
    expect(ingestEndpointOf('track')).toBe('track');
    expect(matchRoute('POST', '/v1/x')).toEqual({ allowed: [] });
    const settings = matchRoute('GET', '/v1/projects/wk_abc/settings');
    expect('route' in settings && settings.pathParameters).toEqual({ writeKey: 'wk_abc' });
  });

  it('points the SDKs back at the host and base path the settings were read from', () => {
    const behindApiGateway = { host: 'api.shop.example', path: '/v1/projects/wk/settings', forwardedProto: 'https' };
    expect(sdkEndpointOf(behindApiGateway)).toEqual({ apiHost: 'api.shop.example/v1', protocol: 'https' });
    expect(sdkEndpointOf({ host: 'shop.example', path: '/retain/v1/projects/wk/settings' })).toEqual({
      apiHost: 'shop.example/retain/v1',
      protocol: 'https',
    });
    const local = { host: '127.0.0.1:4000', path: '/v1/projects/wk/settings', forwardedProto: 'http' };
    expect(sdkEndpointOf(local)).toEqual({ apiHost: '127.0.0.1:4000/v1', protocol: 'http' });
  });

  it('builds the settings document with Retain as the one destination and no Segment telemetry', () => {
    const doc = sdkSettingsOf('wk_public', { apiHost: 'api.shop.example/v1', protocol: 'https' });
    expect(doc.integrations).toEqual({
      'Segment.io': expect.objectContaining({ apiKey: 'wk_public', apiHost: 'api.shop.example/v1', protocol: 'https' }),
    });
    expect(doc.metrics).toEqual({ sampleRate: 0 });
    expect(doc.remotePlugins).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/api\.segment\.io|segment\.com|segmentapis\.com/);
  });
});

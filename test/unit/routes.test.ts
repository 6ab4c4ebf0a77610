import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../functions/routes.js';

describe('matchRoute', () => {
  it('matches a route and decodes its path parameters', () => {
    const match = matchRoute('GET', '/admin/v1/profiles/user%20one/events');
    expect('route' in match && match.route.path).toBe('/admin/v1/profiles/{userId}/events');
    expect('route' in match && match.pathParameters).toEqual({ userId: 'user one' });
  });

  it('tells which methods a known path allows', () => {
    expect(matchRoute('PUT', '/v1/track')).toEqual({ allowed: ['POST'] });
    expect(matchRoute('GET', '/nowhere')).toEqual({ allowed: [] });
  });
});

// Every permission an admin route can require, named `<area>:<action>`: the route table declares one per route.

export const PERMISSIONS = [
  'keys:read',
  'keys:write',
  'profiles:read',
  'profiles:erase',
  'profiles:import',
  'loyalty:adjust',
  'journeys:read',
  'journeys:write',
  'segments:read',
  'segments:write',
  'templates:read',
  'templates:write',
  'messages:test-send',
  'settings:read',
  'settings:write',
  'broadcasts:read',
  'broadcasts:write',
  'broadcasts:send',
  'reports:read',
  'analytics:run',
  'coupons:read',
  'coupons:write',
  'catalog:read',
  'catalog:write',
  'audit:read',
  'approvals:read',
  'approvals:decide',
  'api:read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

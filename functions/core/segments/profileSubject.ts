// What conditions see of a profile: `traits.plan`, `computed.revenue`, `consent.email.granted`, …

import { publicProfile, type Profile } from '../profiles/profile.js';

export function profileSubject(profile: Profile | undefined): Record<string, unknown> {
  return profile ? publicProfile(profile) : {};
}

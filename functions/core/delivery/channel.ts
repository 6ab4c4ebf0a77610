// The channels a message can go out on: the one list every schema, sender and report uses.

export const CHANNELS = ['email', 'push', 'sms', 'kakao'] as const;
export type Channel = (typeof CHANNELS)[number];

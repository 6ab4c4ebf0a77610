// The style of an input whose text is an id or a code: monospace for what is typed, not for its label and help
// (Mantine's `ff` on an input sets all three).
export const CODE_INPUT = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

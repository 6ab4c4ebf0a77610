// Type-checked translation keys: a key missing from en.ts is a compile error, not a raw key on screen.
import 'i18next';
import type { en } from './en.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}

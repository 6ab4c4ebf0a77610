// Builds the console into console/dist, served under /console/ (locally by the runtime, in AWS by CloudFront).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The initial JavaScript budget (300 KB gzipped) is measured by test/browser/consoleBundle.test.ts.
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npm run console:dev`: the dev server forwards the API to a running `npm start`.
    proxy: { '/admin': process.env.RETAIN_API_URL ?? 'http://127.0.0.1:3000' },
  },
});

/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// ./test.sh sets CC_VITEST_JUNIT so that the Vitest results are counted in its summary line with the .NET ones.
const junit = process.env.CC_VITEST_JUNIT;

// The build goes straight into the API's web root: the API serves it at `/` with a fallback to index.html.
// `npm run dev` proxies the API (./run.sh serves it on :5080).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../ContactCenter.Api/wwwroot',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:5080',
      '/hubs': { target: 'http://localhost:5080', ws: true },
    },
  },
  test: {
    // Plain logic runs in Node; a file that needs a DOM says so (`// @vitest-environment jsdom`): a jsdom for each of the
    // 27 files was 27 of the run's 42 seconds.
    environment: 'node',
    // Worker threads start faster than the default child processes (24 against 29 s for the suite here).
    pool: 'threads',
    ...(junit ? { reporters: ['default', 'junit'], outputFile: { junit } } : {}),
  },
});

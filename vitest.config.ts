import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['lib/**/*.test.ts', 'lib/*.test.ts', 'app/**/*.test.ts', 'components/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // `server-only` throws outside a React server bundle; tests import server modules directly.
    alias: { 'server-only': path.resolve(import.meta.dirname, 'lib/testing/server-only-stub.ts') },
  },
});

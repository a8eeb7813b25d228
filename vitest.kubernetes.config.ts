import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Tests of the kubernetes executor and of the Kubernetes API stand-in they run against
 * (`e2e/kubernetes/standin`, a test double). They start local servers and real processes.
 */
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['e2e/kubernetes/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 30_000,
    alias: { 'server-only': path.resolve(import.meta.dirname, 'lib/testing/server-only-stub.ts') },
  },
});

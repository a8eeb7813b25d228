/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and heavy server packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ['better-sqlite3', 'pino', '@kubernetes/client-node'],
  poweredByHeader: false,
  // Lets several builds of one checkout exist side by side (e.g. a test build next to a dev build).
  distDir: process.env.PIPEDECK_NEXT_DIST_DIR || '.next',
  // `npm run typecheck` checks types on its own, so a build for a quick look may skip it.
  typescript: { ignoreBuildErrors: process.env.PIPEDECK_BUILD_SKIP_TYPECHECK === '1' },
  // The container image runs `node server.js` from a self-contained tree (PIPEDECK_STANDALONE=1);
  // `npm start` and the e2e tests keep using `next start`, which needs no copy step.
  ...(process.env.PIPEDECK_STANDALONE === '1' && {
    output: 'standalone',
    // Files read by path at run time, which tracing cannot see: the process executor spawns its
    // supervisor script from `<root>/lib/executors/process/`, and the example pipelines are built
    // from `<root>/examples/` on first start.
    outputFileTracingIncludes: {
      '/*': ['./lib/executors/process/supervisor.mjs', './examples/banknote/**/*'],
    },
  }),
};

export default nextConfig;

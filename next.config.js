/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and heavy server packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ['better-sqlite3', 'pino', '@kubernetes/client-node'],
  poweredByHeader: false,
  // Lets several builds of one checkout exist side by side (e.g. a test build next to a dev build).
  distDir: process.env.PIPEDECK_NEXT_DIST_DIR || '.next',
  // `npm run typecheck` checks types on its own, so a build for a quick look may skip it.
  typescript: { ignoreBuildErrors: process.env.PIPEDECK_BUILD_SKIP_TYPECHECK === '1' },
};

export default nextConfig;

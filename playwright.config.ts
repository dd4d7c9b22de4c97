import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests in Debian's Chromium (/usr/bin/chromium; Playwright's own
 * browser download is not reachable here). `npm test` starts the server and
 * passes LOCKSTEP_E2E_BASE_URL; `npm run test:e2e` alone starts one itself.
 */
const external = process.env.LOCKSTEP_E2E_BASE_URL;
const port = Number(process.env.LOCKSTEP_E2E_PORT ?? 3199);
const baseURL = external ?? `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  outputDir: '.tmp/playwright-results',
  reporter: process.env.LOCKSTEP_PW_JSON ? [['list'], ['json', { outputFile: process.env.LOCKSTEP_PW_JSON }]] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
        },
      },
    },
  ],
  webServer: external
    ? undefined
    : {
        command: `node scripts/serve-e2e.mjs ${port}`,
        url: `${baseURL}/api/health`,
        reuseExistingServer: false,
        timeout: 180_000,
      },
});

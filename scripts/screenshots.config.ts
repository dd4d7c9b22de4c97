import base from '../playwright.config';
import { defineConfig } from '@playwright/test';

/**
 * Retakes the README's screenshots (docs/screenshots/*.png) from a running app:
 *   LOCKSTEP_E2E_BASE_URL=http://127.0.0.1:3000 npx playwright test --config scripts/screenshots.config.ts
 * Not part of `npm test` (its files are outside e2e/ and not named *.spec.ts).
 */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'screenshots.pw.ts',
  timeout: 240_000,
  outputDir: '../.tmp/screenshots-results',
});

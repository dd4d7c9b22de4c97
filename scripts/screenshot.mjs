#!/usr/bin/env node
// Takes the README screenshots from a running app: node scripts/screenshot.mjs [http://localhost:3000]
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://localhost:3000';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  await page.goto(base);
  await page.getByTestId('model-row').first().waitFor();
  await page.screenshot({ path: 'docs/models-page.png' });
  await page.getByTestId('model-row').first().getByRole('link').first().click();
  await page.getByTestId('model-name').waitFor();
  await page.screenshot({ path: 'docs/model-page.png' });
  console.log('wrote docs/models-page.png and docs/model-page.png');
} finally {
  await browser.close();
}

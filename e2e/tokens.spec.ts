/**
 * The API tokens page in Chromium: create a token, see it once, use it from a
 * "build" (a plain HTTP client with only the bearer header), watch its last
 * use appear in the audit list, revoke it, and see the build refused.
 */
import { expect, test } from './fixtures';

test('create a token, see it once, use it from a build, revoke it', async ({ page, baseURL, playwright }) => {
  const name = `e2e build ${Date.now().toString(36)}`;
  await page.goto('/settings/tokens');
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();

  const form = page.getByTestId('create-token-form');
  await form.getByLabel('Name').fill(name);
  await form.getByRole('radio', { name: /^read\b/ }).check();
  await form.getByRole('button', { name: 'Create token' }).click();

  const secret = (await page.getByTestId('new-token-secret').textContent())!.trim();
  expect(secret).toMatch(/^lockstep_[A-Za-z]{64}$/);
  await expect(page.getByTestId('new-token')).toContainText('will not be shown again');
  const row = page.getByTestId('token-row').filter({ hasText: name });
  await expect(row).toHaveAttribute('data-status', 'active');
  await expect(row.getByTestId('token-last-used')).toHaveText('never');

  // Shown once: after a reload the page holds no trace of the secret.
  await page.reload();
  await expect(page.getByTestId('token-row').filter({ hasText: name })).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  // A build: no cookie, no Origin, only the token.
  const build = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const models = await build.get('/api/models');
  expect(models.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId('token-row').filter({ hasText: name }).getByTestId('token-last-used')).toHaveText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);

  await page.getByTestId('token-row').filter({ hasText: name }).getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
  await expect(page.getByTestId('token-row').filter({ hasText: name })).toHaveAttribute('data-status', 'revoked');
  expect((await build.get('/api/models')).status()).toBe(401);
  await build.dispose();
});

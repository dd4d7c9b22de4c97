import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scaledShareDocument } from '../../bench/scaled-share';

/** An example model as shipped (examples/NAME.json). */
export function example(name: string): Record<string, any> {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../examples/${name}.json`, import.meta.url)), 'utf8'));
}

export const uniqueName = (label: string) => `${label} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** Creates a model through the API; returns its id. */
export async function createModelViaApi(request: APIRequestContext, document: Record<string, unknown>): Promise<string> {
  const r = await request.post('/api/models', { data: { document } });
  expect(r.status()).toBe(201);
  return (await r.json()).model.id;
}

/**
 * The share model scaled up (bench/scaled-share.ts): N naive deleters and N naive
 * snapshotters on one share, every check off, so the whole space is explored.
 */
export function scaledShareModel(n: number, name: string): Record<string, unknown> {
  return { ...scaledShareDocument(n), name };
}

/** The check page, the trace view and the manual simulator, as a user sees them. */
export class CheckPage {
  constructor(readonly page: Page) {}

  async goto(id: string) {
    await this.page.goto(`/models/${id}/check`);
    await expect(this.page.getByRole('heading', { name: /^Check / })).toBeVisible();
  }

  /** From the model page, through its Check button. */
  async openFromModelPage(id: string) {
    await this.page.goto(`/models/${id}`);
    await this.page.getByTestId('open-check').click();
    await expect(this.page.getByRole('heading', { name: /^Check / })).toBeVisible();
  }

  async run(scenario: string | 'all', mode: 'exhaustive' | 'random' = 'exhaustive') {
    await this.page.getByTestId('check-scenario').selectOption(scenario === 'all' ? '*' : scenario);
    await this.page.getByTestId('check-mode').selectOption(mode);
    await this.page.getByRole('button', { name: mode === 'random' ? 'Run simulation' : 'Run check' }).click();
  }

  stopButton() {
    return this.page.getByRole('button', { name: 'Stop', exact: true });
  }

  progress() {
    return this.page.getByTestId('check-progress');
  }

  row(scenario: string): Locator {
    return this.page.locator(`[data-testid="result-row"][data-scenario="${scenario}"]`);
  }

  verdict(scenario: string) {
    return this.row(scenario).getByTestId('result-verdict');
  }

  async showTrace(scenario: string) {
    await this.row(scenario).getByRole('button', { name: 'Show trace' }).click();
  }

  async simulate(scenario: string) {
    await this.row(scenario).getByRole('button', { name: 'Simulate' }).click();
    await expect(this.simulator()).toBeVisible();
  }

  // ---- trace view ------------------------------------------------------------

  trace() {
    return this.page.getByTestId('trace-view');
  }

  async step(): Promise<number> {
    return Number(await this.trace().getAttribute('data-step'));
  }

  async steps(): Promise<number> {
    return Number(await this.trace().getAttribute('data-steps'));
  }

  instance(name: string, scope: Locator = this.trace()) {
    return scope.locator(`[data-testid="state-instance"][data-name="${name}"]`);
  }

  diagramState(resource: string, state: string, scope: Locator = this.page.locator('body')) {
    return scope.locator(`[data-testid="diagram-state"][data-resource="${resource}"][data-state="${state}"]`);
  }

  violationSentence() {
    return this.page.getByTestId('violation-sentence');
  }

  /** Clicks Copy link and returns the read-only URL it made. */
  async copyLink(): Promise<string> {
    await this.trace().getByRole('button', { name: 'Copy link' }).click();
    const input = this.page.getByTestId('share-link');
    await expect(input).toHaveValue(/\/share\/[A-Za-z0-9_-]{32}$/);
    return input.inputValue();
  }

  // ---- manual simulation -----------------------------------------------------

  simulator() {
    return this.page.getByTestId('simulator');
  }

  /** Takes the enabled step of `process` (the only one, in scenarios with one process per operation). */
  async takeStepOf(process: string) {
    const before = Number(await this.simulator().getAttribute('data-steps'));
    await this.simulator().locator(`[data-testid="sim-move"][data-kind="step"][data-process="${process}"]`).first().click();
    await expect(this.simulator()).toHaveAttribute('data-steps', String(before + 1));
  }
}

import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The share example, as shipped. */
export function shareExample(): Record<string, unknown> {
  return JSON.parse(readFileSync(fileURLToPath(new URL('../../examples/share-delete-vs-snapshot.json', import.meta.url)), 'utf8'));
}

/** Creates a model from a document through the API; returns its id. */
export async function createModel(request: APIRequestContext, document: Record<string, unknown>): Promise<string> {
  const r = await request.post('/api/models', { data: { document } });
  expect(r.status()).toBe(201);
  return (await r.json()).model.id;
}

/** The model editor, as a user sees it. */
export class EditorPage {
  constructor(readonly page: Page) {}

  async goto(id: string) {
    await this.page.goto(`/models/${id}/edit`);
    await expect(this.page.getByTestId('editor-title')).toBeVisible();
  }

  tab(name: 'State machines' | 'Operations' | 'Locks' | 'Invariants' | 'Scenarios' | 'JSON' | 'History') {
    return this.page.getByRole('tab', { name, exact: false });
  }

  async open(name: Parameters<EditorPage['tab']>[0]) {
    await this.tab(name).click();
  }

  // ---- state machine canvas -------------------------------------------------

  canvas() {
    return this.page.getByTestId('state-canvas');
  }

  states(): Locator {
    return this.canvas().getByTestId('state-node');
  }

  state(name: string): Locator {
    return this.canvas().locator(`[data-testid="state-node"][data-state="${name}"]`);
  }

  edges(): Locator {
    return this.canvas().locator('.react-flow__edge');
  }

  /** Nodes render after hydration: wait for them. */
  async waitForCanvas(count?: number) {
    if (count === undefined) await expect(this.states().first()).toBeVisible();
    else await expect(this.states()).toHaveCount(count);
  }

  async openResource(name: string) {
    await this.page.getByTestId('resource-tab').filter({ hasText: name }).click();
  }

  async addStateWithButton() {
    await this.page.getByRole('button', { name: '+ State' }).click();
  }

  async addStateByDoubleClick(x: number, y: number) {
    const box = (await this.canvas().locator('.react-flow__pane').boundingBox())!;
    await this.page.mouse.dblclick(box.x + x, box.y + y);
  }

  async renameInline(from: string, to: string) {
    await this.state(from).getByText(from, { exact: true }).dblclick();
    const input = this.canvas().getByLabel('State name');
    await input.fill(to);
    await input.press('Enter');
  }

  /** Drags from the lower (source) handle of one state to the upper (target) handle of another. */
  async connect(from: string, to: string) {
    const source = this.state(from).locator('.react-flow__handle.source');
    const target = this.state(to).locator('.react-flow__handle.target');
    const a = (await source.boundingBox())!;
    const b = (await target.boundingBox())!;
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 20, { steps: 8 });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
    await this.page.mouse.up();
  }

  async select(state: string) {
    await this.state(state).click();
    await expect(this.page.getByTestId('state-inspector')).toBeVisible();
  }

  async deleteSelected() {
    await this.canvas().press('Delete');
  }

  // ---- operations ------------------------------------------------------------

  async openOperation(name: string) {
    await this.open('Operations');
    await this.page.getByTestId('operation-tab').filter({ hasText: new RegExp(`^${name}\\d*$`) }).click();
    await expect(this.page.locator('#op-name')).toHaveValue(name);
  }

  /** Top-level steps of the open operation. */
  topSteps(): Locator {
    return this.page.locator('section[aria-label="Operation"] > [data-testid="step-block"] > ol > [data-testid="step-card"]');
  }

  stepSummaries(): Locator {
    return this.topSteps().locator(':scope > div > [data-testid="step-summary"]');
  }

  async addTopStep(kind: string) {
    const zone = this.page.locator('section[aria-label="Operation"] > [data-testid="step-block"] > div').last();
    await zone.getByLabel('Step kind').selectOption(kind);
    await zone.getByRole('button', { name: /Add/ }).click();
  }

  /** Selects a top-level step by clicking its summary: "Add step" then inserts after it. */
  async selectStep(index: number) {
    await this.stepSummaries().nth(index).click();
    await expect(this.topSteps().nth(index)).toHaveAttribute('data-selected', 'true');
  }

  /** Duplicate the open operation; the copy opens. */
  async duplicateOperation() {
    await this.page.getByTestId('duplicate-operation').click();
  }

  pseudocode() {
    return this.page.getByTestId('pseudocode');
  }

  // ---- safety ----------------------------------------------------------------

  saveStatus() {
    return this.page.getByTestId('save-status');
  }

  /** The editor shows version `version` with no draft on top of it (just saved, discarded or opened clean). */
  async waitSaved(version: number) {
    await expect(this.saveStatus()).toHaveText(`Version ${version} · no changes`, { timeout: 15_000 });
  }

  /** Autosave wrote the edits to this user's draft (on the server), based on version `base`; no version was made. */
  async waitDraftSaved(base: number) {
    await expect(this.saveStatus()).toContainText(`Draft saved · based on version ${base}`, { timeout: 15_000 });
  }

  saveVersionButton() {
    return this.page.getByTestId('save-version');
  }

  /** Save version: the dialog, an optional message, Save. Waits for the dialog to close. */
  async saveVersion(message = '') {
    await this.saveVersionButton().click();
    const dialog = this.page.getByTestId('save-version-dialog');
    await expect(dialog).toBeVisible();
    if (message) await dialog.getByLabel('What changed').fill(message);
    await dialog.getByRole('button', { name: 'Save version' }).click();
    await expect(dialog).toBeHidden({ timeout: 15_000 });
  }

  /** The draft holds the edits (based on version `version - 1`), then Save version makes them version `version`. */
  async saveDraftAs(version: number, message = '') {
    await this.waitDraftSaved(version - 1);
    await this.saveVersion(message);
    await this.waitSaved(version);
  }

  saveNotice() {
    return this.page.getByTestId('save-notice');
  }

  problems() {
    return this.page.getByTestId('problem-item');
  }

  // ---- JSON view ---------------------------------------------------------------

  jsonEditor() {
    return this.page.getByTestId('json-editor').locator('.cm-content');
  }

  async replaceJson(text: string) {
    await this.jsonEditor().click();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(text);
  }
}

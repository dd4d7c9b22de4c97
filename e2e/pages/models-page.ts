import { expect, type Page } from '@playwright/test';

/** The models list, as a user sees it. */
export class ModelsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/');
    await expect(this.page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible();
  }

  row(name: string) {
    return this.page.getByTestId('model-row').filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  async create(name: string) {
    await this.page.getByLabel('New model').fill(name);
    await this.page.getByRole('button', { name: 'Create model' }).click();
  }

  async importFile(name: string, contents: string) {
    await this.page.getByTestId('import-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(contents) });
  }

  importError() {
    return this.page.getByTestId('import-error');
  }
}

/** One model's page. */
export class ModelPageObject {
  constructor(readonly page: Page) {}

  async goto(id: string) {
    await this.page.goto(`/models/${id}`);
    await expect(this.page.getByTestId('model-name')).toBeVisible();
  }

  name() {
    return this.page.getByTestId('model-name');
  }

  description() {
    return this.page.getByTestId('model-description');
  }

  versions() {
    return this.page.getByTestId('version-item');
  }

  async saveDescription(text: string, message: string) {
    await this.page.getByLabel('Description').fill(text);
    await this.page.getByLabel('What changed').fill(message);
    await this.page.getByRole('button', { name: 'Save new version' }).click();
  }
}

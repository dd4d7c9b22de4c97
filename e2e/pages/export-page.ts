import { expect, type Page } from '@playwright/test';

/** The Export code page of a model, as a user sees it. */
export class ExportPageObject {
  constructor(readonly page: Page) {}

  async open(modelId: string) {
    await this.page.goto(`/models/${modelId}`);
    await this.page.getByTestId('open-export').click();
    await expect(this.page.getByRole('heading', { name: 'Export code', level: 1 })).toBeVisible();
  }

  tab(file: string) {
    return this.page.getByRole('tab', { name: file, exact: true });
  }

  preview() {
    return this.page.getByTestId('export-preview');
  }

  status() {
    return this.page.getByTestId('export-status');
  }
}

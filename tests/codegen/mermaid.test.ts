/**
 * diagram.md parses and renders with Mermaid's own code, in Chromium (Mermaid's
 * parser needs a DOM: in Node it fails in DOMPurify). Every example, every
 * resource; a broken diagram is rejected, so the check can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { generate } from '@/lib/codegen';
import { examples, ROOT } from './helpers';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ path: path.join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
  await page.evaluate(() => (window as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false }));
}, 60_000);

afterAll(async () => browser?.close());

/** Parses and renders one diagram in the page: the SVG, or the error Mermaid gave. */
async function render(source: string, id: string): Promise<{ svg?: string; error?: string }> {
  return page.evaluate(
    async ({ source, id }) => {
      const mermaid = (window as unknown as { mermaid: { parse(s: string): Promise<unknown>; render(id: string, s: string): Promise<{ svg: string }> } }).mermaid;
      try {
        await mermaid.parse(source);
        const { svg } = await mermaid.render(id, source);
        return { svg };
      } catch (error) {
        return { error: String((error as Error).message ?? error) };
      }
    },
    { source, id },
  );
}

function blocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('diagram.md', () => {
  it('rejects a broken diagram (the check can fail)', async () => {
    const result = await render('stateDiagram-v2\n  s_a --> --> s_b\n', 'broken');
    expect(result.error).toBeTruthy();
  });

  for (const { file, model } of examples()) {
    it(`${file}: one diagram per resource, each parses and renders every state`, async () => {
      const md = generate(model, { version: 1 }).find((f) => f.path === 'diagram.md')!.content;
      const diagrams = blocks(md);
      expect(diagrams).toHaveLength(model.document.resources.length);
      for (const [i, resource] of model.document.resources.entries()) {
        const result = await render(diagrams[i]!, `d${i}`);
        expect(result.error, `${resource.name}`).toBeUndefined();
        for (const state of resource.states) expect(result.svg).toContain(`>${state.name}<`);
      }
    });
  }
});

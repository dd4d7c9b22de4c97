/**
 * Fuzz: diagram.md of models with hostile names and text, rendered where users
 * read it — as Markdown (marked) in Chromium, then each diagram by Mermaid's
 * own renderer in the page — executes nothing: no dialog, no PWNED on the
 * console, globalThis.__pwned unset, no <script> and no on* attribute in the
 * DOM; and every Mermaid diagram still renders with its transition labels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { marked } from 'marked';
import { chromium, type Browser, type Page } from 'playwright';
import { generate } from '@/lib/codegen';
import { ROOT } from './helpers';
import { TEXT_PAYLOADS, validModels } from './hostile';

const MODELS = 60;
/** Mermaid renders about one diagram per 0.2 s here: a bounded share of the models. */
const RENDERED = 24;
let browser: Browser;
const events: string[] = [];

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on('dialog', (d) => {
    events.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (/PWNED/.test(m.text())) events.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => events.push(`pageerror: ${e.message}`));
  // Nothing may be fetched: a payload's <img src=x> or <script src> shows up here too.
  await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : (events.push(`request: ${route.request().url()}`), route.abort())));
  return page;
}

/** What ran or was planted: the __pwned flag, scripts, on* attributes, javascript: URLs. */
const inspect = (page: Page) =>
  page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      pwned: (globalThis as { __pwned?: unknown }).__pwned ?? null,
      scripts: document.querySelectorAll('body script').length,
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`)),
      jsUrls: all.flatMap((el) => [...el.attributes].filter((a) => /^\s*javascript:/i.test(a.value)).map((a) => `${el.tagName}[${a.name}]`)),
    };
  });

const CLEAN = { pwned: null, scripts: 0, handlers: [], jsUrls: [] };

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 60_000);

afterAll(async () => browser?.close());

describe('diagram.md is safe for hostile names', () => {
  const models = validModels(MODELS, 7);
  const markdown = models.map(({ model }) => generate(model, { version: '1 --> <img src=x onerror=alert(1)>' }).find((f) => f.path === 'diagram.md')!.content);

  it('the check can fail: the issue\'s payload in raw HTML does run in this page', async () => {
    const page = await newPage();
    events.length = 0;
    await page.setContent(marked.parse('<!-- x --> <img src=x onerror=alert(1)> <!-- y -->', { async: false }));
    await page.waitForTimeout(100);
    expect(events.some((e) => e.startsWith('dialog'))).toBe(true);
    await page.close();
    events.length = 0;
  });

  it(`${MODELS} diagram.md files rendered as Markdown run nothing`, async () => {
    const page = await newPage();
    for (const [i, md] of markdown.entries()) {
      await page.setContent(`<!doctype html><html><body>${marked.parse(md, { async: false })}</body></html>`);
      expect(await inspect(page), `model ${i}`).toEqual(CLEAN);
      // The header stays one comment: the first visible text is the title.
      expect(await page.evaluate(() => document.body.firstElementChild?.tagName), `model ${i}`).toBe('H1');
    }
    await page.waitForTimeout(200);
    expect(events).toEqual([]);
    await page.close();
  }, 60_000);

  it(`Mermaid renders every diagram of ${RENDERED} models in the page, with its labels as text, and runs nothing`, async () => {
    const page = await newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: path.join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
    await page.evaluate(() => (window as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false }));
    let labelled = 0;
    for (const [i, md] of markdown.slice(0, RENDERED).entries()) {
      const html = marked.parse(md, { async: false });
      const result = await page.evaluate(async (html) => {
        const mermaid = (window as unknown as { mermaid: { render(id: string, s: string): Promise<{ svg: string }> } }).mermaid;
        document.body.innerHTML = html;
        const errors: string[] = [];
        const blocks = [...document.querySelectorAll('code.language-mermaid')];
        for (const [k, code] of blocks.entries()) {
          try {
            const { svg } = await mermaid.render(`d${k}`, code.textContent ?? '');
            const figure = document.createElement('figure');
            figure.innerHTML = svg;
            code.parentElement!.replaceWith(figure);
          } catch (error) {
            errors.push(String((error as Error).message ?? error));
          }
        }
        const labels = [...document.querySelectorAll('figure .edgeLabel')].map((l) => l.textContent ?? '').filter(Boolean);
        return { blocks: blocks.length, errors, labels };
      }, html);
      expect(result.errors, `model ${i}`).toEqual([]);
      expect(result.blocks, `model ${i}`).toBe(models[i]!.model.document.resources.length);
      expect(await inspect(page), `model ${i}`).toEqual(CLEAN);
      labelled += result.labels.filter((l) => TEXT_PAYLOADS.some((p) => p.length < 60 && /[<>#;%"]/.test(p) && l.includes(p.replace(/\s+/g, ' ').trim()))).length;
    }
    await page.waitForTimeout(200);
    expect(events).toEqual([]);
    // Labels are escaped, not stripped: hostile transition names come out as the text the model holds.
    expect(labelled).toBeGreaterThan(0);
    await page.close();
  }, 90_000);
});

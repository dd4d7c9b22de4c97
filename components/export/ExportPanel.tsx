'use client';

import { useMemo, useState } from 'react';
import { analyzeModel, type ModelDocument } from '@/lib/model';
import { CodegenError, generate, type GeneratedFile } from '@/lib/codegen';
import { IssueList } from '@/components/ui/IssueList';
import { highlight } from './highlight';
import styles from './export.module.css';

type Generated = { ok: true; files: GeneratedFile[] } | { ok: false; title: string; issues: Array<{ path: string; message: string }> };

/** Runs the generator in the browser: the same pure code the server and the CLI run. */
function run(document: ModelDocument, version: number, scenario: string | null): Generated {
  const analyzed = analyzeModel(document);
  if (!analyzed.ok) return { ok: false, title: 'This version is not a valid model', issues: analyzed.issues };
  try {
    return { ok: true, files: generate(analyzed.value, { version, ...(scenario ? { scenario } : {}) }) };
  } catch (error) {
    if (error instanceof CodegenError) return { ok: false, title: 'Some steps cannot be generated', issues: error.issues };
    throw error;
  }
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (insecure origin, permissions): fall back to a selection copy.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** `lockstep-runtime/sql-store.ts` → `sql-store.ts`. */
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

function downloadText(file: GeneratedFile) {
  const url = URL.createObjectURL(new Blob([file.content], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = baseName(file.path);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export interface ExportPanelProps {
  modelId: string;
  modelName: string;
  version: number;
  document: ModelDocument;
  /** Lock policies as this scenario checks them; null for the declared ones. */
  scenario?: string | null;
}

/** File tabs, a highlighted preview, copy and download (one file, or all as a zip from the server). */
export function ExportPanel({ modelId, modelName, version, document: doc, scenario = null }: ExportPanelProps) {
  const generated = useMemo(() => run(doc, version, scenario), [doc, version, scenario]);
  const [active, setActive] = useState('guards.ts');
  const [status, setStatus] = useState('');
  const base = `/api/models/${modelId}/versions/${version}/export/code`;
  const query = scenario ? `?scenario=${encodeURIComponent(scenario)}` : '';
  const zipUrl = `${base}${query}`;

  if (!generated.ok) return <IssueList title={generated.title} issues={generated.issues} testId="export-issues" />;
  const file = generated.files.find((f) => f.path === active) ?? generated.files[0]!;
  const hash = file.content.match(/Model hash: (\S+)/)?.[1];
  // The model's files first; the runtime they import sits in a folder of its own, in a second row.
  const modelFiles = generated.files.filter((f) => !f.path.includes('/'));
  const runtimeFiles = generated.files.filter((f) => f.path.includes('/'));
  const tab = (f: GeneratedFile) => (
    <button
      key={f.path}
      type="button"
      role="tab"
      id={`export-tab-${f.path}`}
      aria-label={f.path}
      aria-selected={f.path === file.path}
      aria-controls="export-preview"
      className={styles.tab}
      onClick={() => {
        setActive(f.path);
        setStatus('');
      }}
    >
      {baseName(f.path)}
    </button>
  );

  return (
    <section className={`card ${styles.panel}`} style={{ padding: '16px 18px' }} data-testid="export-panel">
      <div className={styles.head}>
        <div>
          <h2>Generated TypeScript</h2>
          <p className={styles.meta}>
            {modelName}, version {version}
            {scenario && <> · locks as in scenario {scenario}</>}
            {hash && (
              <>
                {' '}
                · <code data-testid="export-hash">{hash}</code>
              </>
            )}
          </p>
        </div>
        <div className={styles.actions}>
          <a className="btn btn-primary" href={zipUrl} download data-testid="export-zip">
            Download zip
          </a>
        </div>
      </div>

      <div className={styles.tabs} role="tablist" aria-label="Generated files">
        {modelFiles.map(tab)}
      </div>
      {runtimeFiles.length > 0 && (
        <div className={`${styles.tabs} ${styles.runtimeTabs}`} role="tablist" aria-label="Runtime the generated files import">
          <span className={styles.tabsLabel} title="Written once beside the model's files; only the parts this model uses">
            lockstep-runtime/
          </span>
          {runtimeFiles.map(tab)}
        </div>
      )}

      <div className={styles.toolbar}>
        <span>
          {file.content.split('\n').length} lines · {new TextEncoder().encode(file.content).length.toLocaleString()} bytes
        </span>
        <span className={styles.spacer} />
        <span className={styles.status} role="status" data-testid="export-status">
          {status}
        </span>
        <button type="button" className="btn btn-small" data-testid="export-copy" onClick={async () => setStatus((await copyText(file.content)) ? `Copied ${file.path}` : 'Copy failed')}>
          Copy
        </button>
        <button type="button" className="btn btn-small" data-testid="export-download" onClick={() => downloadText(file)}>
          Download {baseName(file.path)}
        </button>
      </div>

      <pre className={styles.preview} id="export-preview" role="tabpanel" tabIndex={0} aria-labelledby={`export-tab-${file.path}`} data-testid="export-preview">
        <code>
          {highlight(file.path, file.content).map((t, i) => (
            <span key={i} className={styles[t.kind]}>
              {t.text}
            </span>
          ))}
        </code>
      </pre>

      <p className={styles.fetch}>
        For a build: <code>GET {zipUrl}</code> (zip), or <code>{`${base}/${file.path}${query}`}</code> (this file);{' '}
        <code>/api/models/{modelId}/export/code</code> follows the latest version.
      </p>
    </section>
  );
}

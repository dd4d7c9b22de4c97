'use client';

import Link from 'next/link';
import type { VersionSummary } from '@/lib/db/models';
import type { ModelDocument } from '@/lib/model';
import { ExportPanel } from './ExportPanel';
import styles from './export.module.css';

/** The export page: breadcrumbs, a version picker, and the panel. */
export function ExportPage({ modelId, modelName, version, document, versions }: { modelId: string; modelName: string; version: number; document: ModelDocument; versions: VersionSummary[] }) {
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
      <nav style={{ fontSize: 13 }} className="muted">
        <Link href="/">Models</Link> <span aria-hidden>/</span> <Link href={`/models/${modelId}`}>{modelName}</Link> <span aria-hidden>/</span> <span>Export</span>
      </nav>
      <div className={styles.head}>
        <h1>Export code</h1>
        <label className={styles.versions}>
          Version
          <select
            value={version}
            data-testid="export-version"
            onChange={(e) => {
              window.location.search = `?version=${e.target.value}`;
            }}
          >
            {versions.map((v) => (
              <option key={v.number} value={v.number}>
                {v.number} — {v.message || 'no message'} ({v.author})
              </option>
            ))}
          </select>
        </label>
      </div>
      <ExportPanel key={version} modelId={modelId} modelName={modelName} version={version} document={document} />
    </div>
  );
}

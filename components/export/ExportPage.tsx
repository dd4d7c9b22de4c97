'use client';

import Link from 'next/link';
import type { VersionSummary } from '@/lib/transport/models';
import type { ModelDocument } from '@/lib/model';
import { ExportPanel } from './ExportPanel';
import styles from './export.module.css';

/** The export page: breadcrumbs, a version picker, and the panel. */
export function ExportPage({
  modelId,
  modelName,
  version,
  document,
  versions,
  scenario,
}: {
  modelId: string;
  modelName: string;
  version: number;
  document: ModelDocument;
  versions: VersionSummary[];
  scenario: string | null;
}) {
  const go = (v: number, s: string | null) => {
    window.location.search = `?version=${v}${s ? `&scenario=${encodeURIComponent(s)}` : ''}`;
  };
  // Scenarios that check the locks with another policy ("the same lock, on etcd").
  const lockScenarios = (document.scenarios ?? []).filter((s) => s.locks && Object.keys(s.locks).length > 0).map((s) => s.name);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
      <nav style={{ fontSize: 13 }} className="muted">
        <Link href="/">Models</Link> <span aria-hidden>/</span> <Link href={`/models/${modelId}`}>{modelName}</Link> <span aria-hidden>/</span> <span>Export</span>
      </nav>
      <div className={styles.head}>
        <h1 style={{ flex: 1 }}>Export code</h1>
        <label className={styles.versions}>
          Version
          <select
            value={version}
            data-testid="export-version"
            onChange={(e) => go(Number(e.target.value), scenario)}
          >
            {versions.map((v) => (
              <option key={v.number} value={v.number}>
                {v.number} — {v.message || 'no message'} ({v.author})
              </option>
            ))}
          </select>
        </label>
        {lockScenarios.length > 0 && (
          <label className={styles.versions}>
            Lock policies
            <select value={scenario ?? ''} data-testid="export-scenario" onChange={(e) => go(version, e.target.value || null)}>
              <option value="">as declared</option>
              {lockScenarios.map((s) => (
                <option key={s} value={s}>
                  as in scenario {s}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <ExportPanel key={`${version}/${scenario}`} modelId={modelId} modelName={modelName} version={version} document={document} scenario={scenario} />
    </div>
  );
}

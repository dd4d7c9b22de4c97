'use client';

import { useEffect, useMemo, useState } from 'react';
import type { ModelDocument } from '@/lib/model';
import type { VersionRecord, VersionSummary } from '@/lib/transport/models';
import { diffModels, type DiffEntry } from '@/lib/editor/diff';
import { callApi } from '@/components/ui/api-client';
import { formatTime } from '@/components/ui/format';
import styles from './history.module.css';

const cache = new Map<string, ModelDocument>();

export async function fetchVersion(modelId: string, number: number): Promise<VersionRecord | null> {
  const result = await callApi<{ version: VersionRecord }>(`/api/models/${modelId}/versions/${number}`);
  if (!result.ok) return null;
  cache.set(`${modelId}:${number}`, result.data.version.document);
  return result.data.version;
}

async function documentOf(modelId: string, number: number): Promise<ModelDocument | null> {
  return cache.get(`${modelId}:${number}`) ?? (await fetchVersion(modelId, number))?.document ?? null;
}

/** Versions, newest first: open one read-only, restore it, or compare two. */
export function HistoryPanel({ modelId, versions, current, onOpen }: { modelId: string; versions: VersionSummary[]; current: number; onOpen: (n: number) => void }) {
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const newest = versions[0]?.number ?? current;
  const a = from ?? versions[1]?.number ?? newest;
  const b = to ?? newest;
  const [diff, setDiff] = useState<{ key: string; entries: DiffEntry[] } | null>(null);
  const key = `${a}:${b}`;
  useEffect(() => {
    let live = true;
    Promise.all([documentOf(modelId, a), documentOf(modelId, b)]).then(([x, y]) => {
      if (live && x && y) setDiff({ key, entries: diffModels(x, y) });
    });
    return () => {
      live = false;
    };
  }, [modelId, a, b, key]);
  return (
    <div className={styles.history}>
      <section className={styles.list} aria-label="Versions">
        <h2>Versions</h2>
        <ol data-testid="editor-versions">
          {versions.map((v) => (
            <li key={v.number} className={styles.version} data-testid="editor-version">
              <div className={styles.vHead}>
                <strong>v{v.number}</strong>
                {v.number === current && <span className={styles.badge}>editing</span>}
                <span className={styles.vMeta}>
                  {v.author} · {formatTime(v.createdAt)}
                </span>
              </div>
              <div className={styles.vMsg}>{v.message || <span className="muted">(no message)</span>}</div>
              <div className={styles.vActions}>
                <button type="button" className="btn btn-small" onClick={() => onOpen(v.number)}>
                  Open read-only
                </button>
                {v.number !== current && (
                  <button type="button" className="btn btn-small" onClick={() => { setFrom(v.number); setTo(current); }}>
                    Compare with v{current}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ol>
      </section>
      <section className={styles.diff} aria-label="Differences">
        <div className={styles.diffHead}>
          <h2>Changes</h2>
          <VersionSelect label="from" numbers={versions.map((v) => v.number)} value={a} onChange={setFrom} />
          <VersionSelect label="to" numbers={versions.map((v) => v.number)} value={b} onChange={setTo} />
        </div>
        {diff?.key === key ? <DiffList entries={diff.entries} /> : <p className="muted">Loading…</p>}
      </section>
    </div>
  );
}

const AREA_ORDER = ['model', 'resource', 'state', 'transition', 'field', 'operation', 'param', 'step', 'lock', 'invariant', 'scenario'];

export function DiffList({ entries }: { entries: DiffEntry[] }) {
  const groups = useMemo(() => {
    const m = new Map<string, DiffEntry[]>();
    for (const e of [...entries].sort((x, y) => AREA_ORDER.indexOf(x.area) - AREA_ORDER.indexOf(y.area))) {
      const k = `${e.area}s`;
      m.set(k, [...(m.get(k) ?? []), e]);
    }
    return [...m];
  }, [entries]);
  if (entries.length === 0) return <p className="muted" data-testid="diff-empty">No structural differences.</p>;
  return (
    <div data-testid="diff">
      {groups.map(([area, list]) => (
        <div key={area} className={styles.group}>
          <h3>{area}</h3>
          <ul>
            {list.map((e, i) => (
              <li key={i} className={styles[e.kind]} data-testid="diff-entry">
                <span className={styles.sign}>{e.kind === 'added' ? '+' : e.kind === 'removed' ? '−' : '~'}</span>
                <span className={styles.where}>{e.where}</span>
                <code>{e.what}</code>
                {e.detail && <span className={styles.detail}>{e.detail}</span>}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function VersionSelect({ label, numbers, value, onChange }: { label: 'from' | 'to'; numbers: number[]; value: number; onChange: (n: number) => void }) {
  return (
    <label>
      {label}{' '}
      <select className="input" value={value} onChange={(e) => onChange(Number(e.target.value))} aria-label={`Compare ${label} version`}>
        {numbers.map((n) => (
          <option key={n} value={n}>
            v{n}
          </option>
        ))}
      </select>
    </label>
  );
}

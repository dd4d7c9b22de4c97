'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { MAX_THREADS, type CheckMode } from '@/lib/browser/check-job';
import { DEFAULT_MAX_STATES } from '@/lib/check/result';
import styles from './check.module.css';

export interface FormValues {
  /** A scenario name, or '*' for all. */
  scenario: string;
  mode: CheckMode;
  maxStates?: number;
  maxDepth?: number;
  timeLimitMs?: number;
  runs: number;
  seed: number;
  symmetry: boolean;
  mergeLocalSteps: boolean;
  /** Threads for a long exhaustive check; undefined: one per core. */
  threads?: number;
}

const positive = (raw: string): number | undefined => {
  const n = Number(raw.replace(/[,_\s]/g, ''));
  return raw.trim() !== '' && Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
};

export function CheckForm({ scenarios, running, onRun, onStop }: { scenarios: string[]; running: boolean; onRun: (v: FormValues) => void; onStop: () => void }) {
  const [scenario, setScenario] = useState(scenarios.length > 1 ? '*' : (scenarios[0] ?? '*'));
  const [mode, setMode] = useState<CheckMode>('exhaustive');
  const [maxStates, setMaxStates] = useState('');
  const [maxDepth, setMaxDepth] = useState('');
  const [timeLimit, setTimeLimit] = useState('');
  const [runs, setRuns] = useState('1000');
  const [seed, setSeed] = useState('1');
  const [symmetry, setSymmetry] = useState(true);
  const [merge, setMerge] = useState(true);
  const [threads, setThreads] = useState('');
  // Known in the browser only (the form is first rendered on the server).
  const [cores, setCores] = useState<number | null>(null);
  useEffect(() => setCores(Math.max(1, Math.min(MAX_THREADS, navigator.hardwareConcurrency || 1))), []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (running) return;
    const seconds = Number(timeLimit);
    onRun({
      scenario,
      mode,
      maxStates: positive(maxStates),
      maxDepth: positive(maxDepth),
      timeLimitMs: timeLimit.trim() !== '' && seconds > 0 ? Math.round(seconds * 1000) : undefined,
      runs: positive(runs) ?? 1000,
      seed: Math.max(0, Math.floor(Number(seed) || 0)),
      symmetry,
      mergeLocalSteps: merge,
      threads: positive(threads),
    });
  };

  return (
    <form onSubmit={submit} className={styles.section} style={{ padding: 0 }} aria-label="Check options">
      <div className={styles.form}>
        <label>
          <span className="label">Scenario</span>
          <select className="input" value={scenario} onChange={(e) => setScenario(e.target.value)} disabled={running} data-testid="check-scenario">
            {scenarios.length > 1 ? <option value="*">All scenarios ({scenarios.length})</option> : null}
            {scenarios.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="label">Mode</span>
          <select className="input" value={mode} onChange={(e) => setMode(e.target.value as CheckMode)} disabled={running} data-testid="check-mode">
            <option value="exhaustive">Every interleaving</option>
            <option value="random">Random simulation</option>
          </select>
        </label>
        {mode === 'exhaustive' ? (
          <>
            <label>
              <span className="label">Max states</span>
              <input className="input" inputMode="numeric" placeholder={DEFAULT_MAX_STATES.toLocaleString('en')} value={maxStates} onChange={(e) => setMaxStates(e.target.value)} disabled={running} />
            </label>
            <label>
              <span className="label">Max depth</span>
              <input className="input" inputMode="numeric" placeholder="none" value={maxDepth} onChange={(e) => setMaxDepth(e.target.value)} disabled={running} />
            </label>
            <label>
              <span className="label">Time limit (s)</span>
              <input className="input" inputMode="decimal" placeholder="none" value={timeLimit} onChange={(e) => setTimeLimit(e.target.value)} disabled={running} />
            </label>
            <label title="Threads for an exhaustive check: a number chosen takes over from its 20,000th state; one per core, once it has run a second">
              <span className="label">Threads</span>
              <select className="input" value={threads} onChange={(e) => setThreads(e.target.value)} disabled={running} data-testid="check-threads">
                <option value="">{cores ? `One per core (${cores})` : 'One per core'}</option>
                {Array.from({ length: cores ?? 1 }, (_, i) => (
                  <option key={i} value={String(i + 1)}>
                    {i + 1}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : (
          <>
            <label>
              <span className="label">Schedules</span>
              <input className="input" inputMode="numeric" value={runs} onChange={(e) => setRuns(e.target.value)} disabled={running} />
            </label>
            <label>
              <span className="label">Seed</span>
              <input className="input" inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} disabled={running} />
            </label>
            <label>
              <span className="label">Max depth</span>
              <input className="input" inputMode="numeric" placeholder="1000" value={maxDepth} onChange={(e) => setMaxDepth(e.target.value)} disabled={running} />
            </label>
          </>
        )}
      </div>
      <div className={styles.checks}>
        <label>
          <input type="checkbox" checked={symmetry} onChange={(e) => setSymmetry(e.target.checked)} disabled={running} /> Symmetry reduction
        </label>
        <label>
          <input type="checkbox" checked={merge} onChange={(e) => setMerge(e.target.checked)} disabled={running} /> Merge local steps
        </label>
        <div className={styles.buttons} style={{ marginLeft: 'auto' }}>
          <button type="submit" className="btn btn-primary" disabled={running}>
            {mode === 'random' ? 'Run simulation' : 'Run check'}
          </button>
          <button type="button" className="btn btn-danger" onClick={onStop} disabled={!running}>
            Stop
          </button>
        </div>
      </div>
    </form>
  );
}

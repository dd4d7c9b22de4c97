'use client';

import type { LiveProgress } from './useCheckRunner';
import { duration, num } from './format';
import styles from './check.module.css';

export function ProgressPanel({ live, stoppedIn }: { live: LiveProgress | null; stoppedIn: number | null }) {
  if (!live) {
    return stoppedIn !== null ? (
      <p className={styles.note} data-testid="stopped" data-stop-ms={stoppedIn}>
        Stopped ({stoppedIn} ms after the click). The run is recorded as incomplete.
      </p>
    ) : null;
  }
  const f = live.figures;
  const random = live.mode === 'random';
  return (
    <div data-testid="check-progress" data-updates={live.updates} data-states={f?.distinctStates ?? 0} data-elapsed-ms={f?.elapsedMs ?? 0} aria-live="polite">
      <div className={styles.running}>
        <span className={styles.spinner} aria-hidden />
        {random ? 'Simulating' : 'Checking'} {live.scenario}
        {live.total > 1 ? ` (${live.index + 1} of ${live.total})` : ''}
      </div>
      <div className={styles.progress}>
        <Figure label={random ? 'steps taken' : 'distinct states'} value={f ? num(f.distinctStates) : '…'} testId="progress-states" />
        <Figure label={random ? 'steps / s' : 'states / s'} value={f ? num(f.statesPerSecond) : '…'} testId="progress-rate" />
        <Figure label={random ? 'shortest violation' : 'depth'} value={f ? (random ? (f.shortest ?? '—').toString() : num(f.depth)) : '…'} testId="progress-depth" />
        <Figure label={random ? 'schedules' : 'queue'} value={f ? num(random ? (f.runs ?? 0) : f.queue) : '…'} testId="progress-queue" />
        <Figure label="elapsed" value={f ? duration(f.elapsedMs) : '…'} testId="progress-elapsed" />
        {f?.threads ? <Figure label="threads" value={String(f.threads)} testId="progress-threads" /> : null}
      </div>
    </div>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className={styles.figure}>
      <b data-testid={testId}>{value}</b>
      <span>{label}</span>
    </div>
  );
}

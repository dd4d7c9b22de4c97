'use client';

/**
 * Runs check jobs one after another in a Web Worker and keeps the live
 * figures. `stop()` terminates the worker — effective at once, whatever the
 * explorer is doing — and reports the running job as `incomplete (stopped)`.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckResult } from '@/lib/check';
import { stoppedResult, type CheckRequest, type ProgressFigures, type WorkerMessage } from '@/lib/browser/check-job';

export type JobSpec = Omit<CheckRequest, 'type' | 'job'> & { expected: CheckResult['expected'] };

export interface LiveProgress {
  scenario: string;
  mode: CheckRequest['mode'];
  figures: ProgressFigures | null;
  /** How many progress messages arrived for this job. */
  updates: number;
  startedAt: number;
  index: number;
  total: number;
}

export interface RunnerCallbacks {
  onResult: (spec: JobSpec, result: CheckResult) => void;
  onError: (spec: JobSpec, message: string) => void;
}

export function useCheckRunner({ onResult, onError }: RunnerCallbacks) {
  const workerRef = useRef<Worker | null>(null);
  const jobRef = useRef(0);
  const queueRef = useRef<JobSpec[]>([]);
  const currentRef = useRef<{ spec: JobSpec; job: number; last: ProgressFigures | null; startedAt: number; index: number; total: number } | null>(null);
  const callbacks = useRef({ onResult, onError });
  callbacks.current = { onResult, onError };
  const [live, setLive] = useState<LiveProgress | null>(null);
  const [running, setRunning] = useState(false);

  const startNext = useCallback(() => {
    const spec = queueRef.current.shift();
    const prev = currentRef.current;
    if (!spec) {
      currentRef.current = null;
      setRunning(false);
      setLive(null);
      return;
    }
    const worker = (workerRef.current ??= createWorker());
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      const current = currentRef.current;
      if (!current || message.job !== current.job) return;
      if (message.type === 'progress') {
        current.last = message.progress;
        setLive((l) => (l ? { ...l, figures: message.progress, updates: l.updates + 1 } : l));
      } else if (message.type === 'complete') {
        callbacks.current.onResult(current.spec, message.result);
        startNext();
      } else {
        callbacks.current.onError(current.spec, message.message);
        startNext();
      }
    };
    worker.onerror = (event) => {
      const current = currentRef.current;
      if (!current) return;
      event.preventDefault?.();
      callbacks.current.onError(current.spec, event.message || 'the checker stopped unexpectedly');
      workerRef.current?.terminate();
      workerRef.current = null;
      startNext();
    };
    const job = ++jobRef.current;
    const index = prev ? prev.index + 1 : 0;
    const total = prev ? prev.total : queueRef.current.length + 1;
    const startedAt = performance.now();
    currentRef.current = { spec, job, last: null, startedAt, index, total };
    setLive({ scenario: spec.scenario, mode: spec.mode, figures: null, updates: 0, startedAt, index, total });
    const { expected: _expected, ...request } = spec;
    worker.postMessage({ ...request, type: 'check', job } satisfies CheckRequest);
  }, []);

  const run = useCallback(
    (specs: JobSpec[]) => {
      if (currentRef.current || specs.length === 0) return;
      queueRef.current = [...specs];
      currentRef.current = null;
      setRunning(true);
      startNext();
    },
    [startNext],
  );

  /** Stops at once: the worker is terminated; the running job is reported as stopped, the queued ones dropped. */
  const stop = useCallback(() => {
    const current = currentRef.current;
    workerRef.current?.terminate();
    workerRef.current = null;
    queueRef.current = [];
    currentRef.current = null;
    setRunning(false);
    setLive(null);
    if (current) callbacks.current.onResult(current.spec, stoppedResult(current.spec, current.last, performance.now() - current.startedAt, current.spec.expected));
  }, []);

  useEffect(
    () => () => {
      workerRef.current?.terminate();
      workerRef.current = null;
    },
    [],
  );

  return { run, stop, running, live };
}

function createWorker(): Worker {
  return new Worker(new URL('./check.worker.ts', import.meta.url), { type: 'module', name: 'lockstep-checker' });
}

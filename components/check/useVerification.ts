'use client';

/**
 * Follows the server's verification of the runs this page stored: each run
 * starts "reported" and is polled until the server has verified, refuted or
 * given up on it (the job runs in the background, usually within a second).
 */
import { useEffect, useState } from 'react';
import type { PublicVerification } from '@/lib/transport/runs';
import { fetchRun } from './api';

const POLL_MS = 1000;
/** Stop following after this long: the page keeps saying "reported" and a reload asks again. */
const GIVE_UP_MS = 5 * 60_000;

export interface PendingRun {
  scenario: string;
  runId: string;
  since: number;
}

export function useVerification(
  modelId: string,
  versionNumber: number,
  pending: PendingRun[],
  onSettled: (scenario: string, runId: string, verification: PublicVerification) => void,
) {
  const [tick, setTick] = useState(0);
  const key = pending.map((p) => p.runId).join(',');
  useEffect(() => {
    const live = pending.filter((p) => Date.now() - p.since < GIVE_UP_MS);
    if (live.length === 0) return;
    let stopped = false;
    const timer = setTimeout(async () => {
      for (const p of live) {
        const response = await fetchRun(modelId, versionNumber, p.runId);
        if (stopped) return;
        if (response.ok && response.data.run.verification.status !== 'reported') onSettled(p.scenario, p.runId, response.data.run.verification);
      }
      if (!stopped) setTick((t) => t + 1);
    }, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [modelId, versionNumber, key, tick]);
}

/// <reference lib="webworker" />
/**
 * The checker's Web Worker: one job at a time, messages `progress | complete
 * | error` (lib/browser/check-job.ts). Stop is `worker.terminate()` on the
 * page's side, which takes effect at once whatever the explorer is doing.
 */
import { runCheckJob, type CheckRequest, type WorkerMessage } from '@/lib/browser/check-job';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<CheckRequest>) => {
  if (event.data?.type !== 'check') return;
  runCheckJob(event.data, (message: WorkerMessage) => scope.postMessage(message));
};

/// <reference lib="webworker" />
/**
 * The checker's Web Worker: one job at a time, messages `progress | complete
 * | error` (lib/browser/check-job.ts). Stop is `worker.terminate()` on the
 * page's side, which takes effect at once whatever the explorer is doing (and
 * ends the partition workers this worker started).
 *
 * An exhaustive check that runs longer than 1 s goes on in one thread per
 * core (navigator.hardwareConcurrency), this worker being one of them; one
 * with threads the user chose (CheckRequest.threads) in that many, from its
 * 20,000th state (`handOverFor`); by level-synchronous BFS
 * (lib/check/level-search.ts): same states, verdict and shortest trace as one
 * thread. The page never waits on this worker.
 */
import { handOverFor, MAX_THREADS, PROGRESS_EVERY_MS, runCheckJob, type CheckRequest, type WorkerMessage } from '@/lib/browser/check-job';
import { analyze } from '@/lib/check/replay';
import { checkScenarioScaled } from '@/lib/check/level-runner';
import { startWebWorkers } from './partition-runner';

const scope = self as unknown as DedicatedWorkerGlobalScope;
/** Partitions for a large check: one per core, within reason, unless the user chose. */
const CORES = scope.navigator?.hardwareConcurrency ?? 1;
const partitionsFor = (request: CheckRequest) => Math.max(1, Math.min(MAX_THREADS, Math.floor(request.threads ?? CORES)));

scope.onmessage = (event: MessageEvent<CheckRequest>) => {
  if (event.data?.type !== 'check') return;
  const post = (message: WorkerMessage) => scope.postMessage(message);
  if (event.data.mode !== 'exhaustive' || partitionsFor(event.data) <= 1) runCheckJob(event.data, post);
  else void runInPartitions(event.data, post);
};

async function runInPartitions(request: CheckRequest, post: (message: WorkerMessage) => void): Promise<void> {
  const { job, scenario } = request;
  const analyzed = analyze(request.document);
  if (!analyzed.ok || !analyzed.model.scenarios.some((s) => s.source.name === scenario)) {
    runCheckJob(request, post); // reports the problem the usual way
    return;
  }
  const model = analyzed.model;
  const options = {
    symmetry: request.symmetry !== false,
    mergeLocalSteps: request.mergeLocalSteps !== false,
    ...request.limits,
    progressEveryMs: PROGRESS_EVERY_MS,
    onProgress: (p: Extract<WorkerMessage, { type: 'progress' }>['progress']) => post({ type: 'progress', job, scenario, progress: { ...p } }),
  };
  try {
    // A browser that cannot start workers from a worker goes on in this one (same order, same result).
    const result = await checkScenarioScaled(model, scenario, partitionsFor(request), startWebWorkers, options, handOverFor(request));
    post({ type: 'complete', job, scenario, result });
  } catch (error) {
    post({ type: 'error', job, scenario, message: (error as Error).message || String(error) });
  }
}

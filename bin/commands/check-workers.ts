/**
 * `lockstep check --workers K`: the level-parallel search (lib/check/level-search.ts)
 * with its partitions in K Node worker threads sharing memory.
 */
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { ClosableRunner, PartitionSetup, PartitionTask } from '../../lib/check/level-runner';
import { abortion, threadReplies, type ThreadMessage } from '../../lib/check/thread-replies';

let bundle: Promise<string> | null = null;
/**
 * check-worker.ts and what it imports as one CommonJS script, built once per
 * process with esbuild (which tsx, the CLI's loader, brings): a thread that
 * loaded the TypeScript through tsx itself took about a second of CPU to start.
 */
function workerScript(): Promise<string> {
  // esbuild is loaded only when threads start: importing it costs a check that needs none about a tenth of a second.
  bundle ??= import('esbuild').then(({ build }) => build({
    entryPoints: [fileURLToPath(new URL('./check-worker.ts', import.meta.url))],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  })).then((result) => result.outputFiles[0].text);
  return bundle;
}

/** A thread's setup as sent: the model as serialized bytes in shared memory (check-worker.ts reads it back). */
export type ThreadSetup = Omit<PartitionSetup, 'model'> & { modelBytes: SharedArrayBuffer };

/**
 * The setups' model (one for all), serialized once into shared memory that
 * every thread reads: structured-cloned into each thread instead, the largest
 * valid model held the calling thread up 15–19 ms a thread.
 */
function sharedModel(setups: PartitionSetup[]): SharedArrayBuffer {
  const bytes = serialize(setups[0].model);
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return shared;
}

/** Starts a worker thread per setup, each building its partition of the scenario; resolves once all are ready (rejects, the threads stopped, if `signal` is aborted first). */
export async function startWorkerThreads(setups: PartitionSetup[], signal?: AbortSignal): Promise<ClosableRunner> {
  // The `lockstep` command runs from a cached bundle that includes the worker (bin/cli-bundle.mjs); elsewhere (tests) it is bundled here.
  const bundled = (globalThis as { lockstepWorkerScript?: URL }).lockstepWorkerScript;
  const script = bundled ?? (await workerScript());
  const modelBytes = sharedModel(setups);
  const workers = setups.map(({ model: _sent, ...setup }) => {
    const workerData: ThreadSetup = { ...setup, modelBytes };
    return bundled
      ? new Worker(bundled, { workerData, name: `lockstep-check-${setup.index}` })
      : new Worker(script, { eval: true, workerData, name: `lockstep-check-${setup.index}` });
  });
  const replies = threadReplies(workers.length);
  let closing = false;
  workers.forEach((worker, i) => {
    worker.on('message', (message: ThreadMessage) => replies.receive(i, message));
    worker.once('error', (error: Error) => replies.fail(error, i));
    worker.once('exit', (code: number) => {
      if (!closing) replies.fail(new Error(`a checker worker thread exited (code ${code})`), i);
    });
  });
  const close = async () => {
    closing = true;
    await Promise.all(workers.map((w) => w.terminate()));
  };
  try {
    await Promise.race([Promise.all(replies.ready), abortion(signal)]);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    partitions: setups.length,
    alloc: (bytes) => new SharedArrayBuffer(bytes),
    send: (i: number, task: PartitionTask) => replies.send(i, () => workers[i].postMessage(task)),
    close,
  };
}

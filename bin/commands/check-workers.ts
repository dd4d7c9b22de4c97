/**
 * `lockstep check --workers K`: the level-parallel search (lib/check/level-search.ts)
 * with its partitions in K Node worker threads sharing memory.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AnalyzedModel } from '../../lib/model/analyzed';
import type { CheckScenarioOptions } from '../../lib/check';
import { partitionSetups, type ClosableRunner, type PartitionReply, type PartitionTask } from '../../lib/check/level-runner';

type Message = { ready: true } | { reply: PartitionReply } | { error: string };

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

/** Starts K worker threads, each building its partition of the scenario; resolves once all are ready. */
export async function startWorkerThreads(model: AnalyzedModel, scenario: string, options: CheckScenarioOptions, partitions: number): Promise<ClosableRunner> {
  // The `lockstep` command runs from a cached bundle that includes the worker (bin/cli-bundle.mjs); elsewhere (tests) it is bundled here.
  const bundled = (globalThis as { lockstepWorkerScript?: URL }).lockstepWorkerScript;
  const script = bundled ?? (await workerScript());
  const workers = partitionSetups(model, scenario, options, partitions).map((setup) =>
    bundled
      ? new Worker(bundled, { workerData: setup, name: `lockstep-check-${setup.index}` })
      : new Worker(script, { eval: true, workerData: setup, name: `lockstep-check-${setup.index}` }),
  );
  const next = (worker: Worker) =>
    new Promise<Message>((resolve, reject) => {
      const onMessage = (message: Message) => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(message);
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        reject(error);
      };
      const onExit = (code: number) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        reject(new Error(`a checker worker thread exited (code ${code})`));
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
    });
  const close = async () => {
    await Promise.all(workers.map((w) => w.terminate()));
  };
  try {
    await Promise.all(workers.map(next));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    partitions,
    alloc: (bytes) => new SharedArrayBuffer(bytes),
    run: (tasks: PartitionTask[]) =>
      Promise.all(
        tasks.map(async (task, i) => {
          const reply = next(workers[i]);
          workers[i].postMessage(task);
          const message = await reply;
          if ('error' in message) throw new Error(`checker worker ${i}: ${message.error}`);
          if (!('reply' in message)) throw new Error(`checker worker ${i} answered out of turn`);
          return message.reply;
        }),
      ),
    close,
  };
}

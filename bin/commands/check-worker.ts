/**
 * One partition of `lockstep check --workers K` (lib/check/level-partition.ts)
 * in a worker thread. check-workers.ts bundles this file once per run, so a
 * thread starts without a TypeScript loader. Every buffer it reads or writes
 * is a SharedArrayBuffer, so replies carry no copies.
 */
import './one-shot';
import { parentPort, workerData } from 'node:worker_threads';
import { createPartition, raiseReady, warmUp, WARM_UP_MS, type PartitionSetup, type PartitionTask } from '../../lib/check/level-runner';

const port = parentPort!;
const partition = createPartition(workerData as PartitionSetup, (bytes) => new SharedArrayBuffer(bytes));
port.on('message', (task: PartitionTask) => {
  try {
    port.postMessage({ reply: partition.handle(task) });
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
void warmUp(partition, WARM_UP_MS).then(() => {
  raiseReady(workerData as PartitionSetup);
  port.postMessage({ ready: true });
});

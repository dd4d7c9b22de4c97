/**
 * One partition of `lockstep check --workers K` (lib/check/level-partition.ts)
 * in a worker thread. It starts from a bundle (the CLI's cached one, or
 * check-workers.ts builds it), so a thread starts without a TypeScript
 * loader; the bundle holds the search only (level-thread.ts). Every buffer it
 * reads or writes is a SharedArrayBuffer, so replies carry no copies.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PartitionSetup, PartitionTask } from '../../lib/check/level-partition';
import { createPartition, raiseReady, warmUp, WARM_UP_MS } from '../../lib/check/level-thread';

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

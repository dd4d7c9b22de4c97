/**
 * One partition of `lockstep check --workers K` (lib/check/level-partition.ts)
 * in a worker thread. It starts from a bundle (the CLI's cached one, or
 * check-workers.ts builds it), so a thread starts without a TypeScript
 * loader; the bundle holds the search only (level-thread.ts). Every buffer it
 * reads or writes is a SharedArrayBuffer, so replies carry no copies.
 */
import { deserialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { AnalyzedModel } from '../../lib/model/analyzed';
import type { PartitionSetup, PartitionTask } from '../../lib/check/level-partition';
import { createPartition, raiseReady, warmUp, WARM_UP_MS } from '../../lib/check/level-thread';
import type { ThreadSetup } from './check-workers';

const port = parentPort!;
const { modelBytes, ...sent } = workerData as ThreadSetup;
const setup: PartitionSetup = { ...sent, model: deserialize(new Uint8Array(modelBytes)) as AnalyzedModel };
const partition = createPartition(setup, (bytes) => new SharedArrayBuffer(bytes));
port.on('message', (task: PartitionTask) => {
  try {
    port.postMessage({ reply: partition.handle(task) });
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
void warmUp(partition, WARM_UP_MS).then(() => {
  raiseReady(setup);
  port.postMessage({ ready: true });
});

// One partition of `lockstep check --workers K` (lib/check/level-partition.ts), in a worker thread.
// Every buffer it reads or writes is a SharedArrayBuffer, so replies carry no copies.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { createPartition } = await import('../../lib/check/level-runner.ts');
const partition = createPartition(workerData, (bytes) => new SharedArrayBuffer(bytes));
parentPort.on('message', (task) => {
  try {
    parentPort.postMessage({ reply: partition.handle(task) });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
parentPort.postMessage({ ready: true });

/**
 * The browser's `PartitionRunner`: K Web Workers (check-partition.worker.ts),
 * started from the page's checker worker. Shares memory when the page is
 * cross-origin isolated; otherwise buffers travel as copies (the protocol
 * needs nothing else: a partition only writes buffers it hands back).
 */
import type { ClosableRunner, PartitionSetup, PartitionTask } from '@/lib/check/level-runner';
import { abortion, canShareMemory, threadReplies, type ThreadMessage } from '@/lib/check/thread-replies';

/** Resolves once every worker is ready (rejects, the workers stopped, if `signal` is aborted first). */
export async function startWebWorkers(setups: PartitionSetup[], signal?: AbortSignal): Promise<ClosableRunner> {
  const shared = canShareMemory();
  const workers = setups.map((_, i) => new Worker(new URL('./check-partition.worker.ts', import.meta.url), { type: 'module', name: `lockstep-partition-${i}` }));
  const replies = threadReplies(workers.length);
  workers.forEach((worker, i) => {
    worker.onmessage = (event: MessageEvent<ThreadMessage>) => replies.receive(i, event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      replies.fail(new Error(event.message || 'a checker worker stopped unexpectedly'), i);
    };
  });
  const close = () => workers.forEach((w) => w.terminate());
  try {
    workers.forEach((w, i) => w.postMessage({ type: 'setup', setup: setups[i], shared }));
    await Promise.race([Promise.all(replies.ready), abortion(signal)]);
  } catch (error) {
    close();
    throw error;
  }
  return {
    partitions: setups.length,
    alloc: (bytes) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)),
    send: (i: number, task: PartitionTask) => replies.send(i, () => workers[i].postMessage({ type: 'task', task })),
    close,
  };
}

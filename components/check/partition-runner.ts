/**
 * The browser's `PartitionRunner`: K Web Workers (check-partition.worker.ts),
 * started from the page's checker worker. Shares memory when the page is
 * cross-origin isolated; otherwise buffers travel as copies (the protocol
 * needs nothing else: a partition only writes buffers it hands back).
 */
import type { ClosableRunner, PartitionReply, PartitionSetup, PartitionTask } from '@/lib/check/level-runner';

type Reply = { ready: true } | { reply: PartitionReply } | { error: string };

export async function startWebWorkers(setups: PartitionSetup[]): Promise<ClosableRunner> {
  const shared = typeof SharedArrayBuffer !== 'undefined' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const workers = setups.map((_, i) => new Worker(new URL('./check-partition.worker.ts', import.meta.url), { type: 'module', name: `lockstep-partition-${i}` }));
  const next = (worker: Worker) =>
    new Promise<Reply>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<Reply>) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(event.message || 'a checker worker stopped unexpectedly'));
      };
    });
  const close = () => workers.forEach((w) => w.terminate());
  const answer = async (i: number, pending: Promise<Reply>) => {
    const message = await pending;
    if ('error' in message) throw new Error(`checker worker ${i}: ${message.error}`);
    return message;
  };
  try {
    await Promise.all(workers.map((w, i) => {
      const pending = next(w);
      w.postMessage({ type: 'setup', setup: setups[i], shared });
      return answer(i, pending);
    }));
  } catch (error) {
    close();
    throw error;
  }
  return {
    partitions: setups.length,
    alloc: (bytes) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)),
    run: (tasks: PartitionTask[]) =>
      Promise.all(
        tasks.map(async (task, i) => {
          const pending = next(workers[i]);
          workers[i].postMessage({ type: 'task', task });
          const message = await answer(i, pending);
          if (!('reply' in message)) throw new Error(`checker worker ${i} answered out of turn`);
          return message.reply;
        }),
      ),
    close,
  };
}

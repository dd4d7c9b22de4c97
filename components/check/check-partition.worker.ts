/// <reference lib="webworker" />
/**
 * One partition of a browser check running in several Web Workers
 * (lib/check/level-partition.ts; the page's checker worker coordinates).
 * A partition writes only buffers it allocated and hands them back in its
 * reply, so the same messages work with SharedArrayBuffers (a cross-origin-
 * isolated page: nothing is copied) and without (each message carries copies).
 */
import { createPartition, raiseReady, warmUp, WARM_UP_MS } from '@/lib/check/level-thread';
import type { Partition, PartitionSetup, PartitionTask } from '@/lib/check/level-partition';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let partition: Partition | null = null;

export type PartitionMessage = { type: 'setup'; setup: PartitionSetup; shared: boolean } | { type: 'task'; task: PartitionTask };

scope.onmessage = async (event: MessageEvent<PartitionMessage>) => {
  const message = event.data;
  try {
    if (message.type === 'setup') {
      const shared = message.shared;
      partition = createPartition(message.setup, (bytes) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)));
      // Tasks come only after "ready", so none arrives while this awaits.
      await warmUp(partition, WARM_UP_MS);
      raiseReady(message.setup);
      scope.postMessage({ ready: true });
      return;
    }
    scope.postMessage({ reply: partition!.handle(message.task) });
  } catch (error) {
    scope.postMessage({ error: (error as Error).message || String(error) });
  }
};

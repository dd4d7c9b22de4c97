/// <reference lib="webworker" />
/**
 * One partition of a browser check running in several Web Workers
 * (lib/check/level-partition.ts; the page's checker worker coordinates).
 * With SharedArrayBuffers (a cross-origin-isolated page) every buffer is
 * shared and replies carry nothing back; without, buffers arrive as copies
 * and the reply carries back what this partition wrote (its dedupe flags, its
 * range of the next frontier) for the coordinator to merge.
 */
import { createPartition, type PartitionSetup, type PartitionTask } from '@/lib/check/level-runner';
import type { Partition } from '@/lib/check/level-partition';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let partition: Partition | null = null;
let shared = false;

export type PartitionMessage = { type: 'setup'; setup: PartitionSetup; shared: boolean } | { type: 'task'; task: PartitionTask };

scope.onmessage = (event: MessageEvent<PartitionMessage>) => {
  const message = event.data;
  try {
    if (message.type === 'setup') {
      shared = message.shared;
      partition = createPartition(message.setup, (bytes) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)));
      scope.postMessage({ ready: true });
      return;
    }
    const task = message.task;
    const reply = partition!.handle(task);
    if (shared || task.kind === 'seed') {
      scope.postMessage({ reply });
    } else if (task.kind === 'expand') {
      const candidates = reply.kind === 'expand' ? (reply.candidates as ArrayBuffer) : null;
      scope.postMessage({ reply }, candidates ? [candidates] : []);
    } else if (task.kind === 'dedupe') {
      const flags = task.chunks.map((c) => c.flags as ArrayBuffer);
      scope.postMessage({ reply, flags }, flags);
    } else {
      const rowBytes = partition!.rowBytes;
      const written = (task.next as ArrayBuffer).slice(task.from * rowBytes, task.to * rowBytes);
      scope.postMessage({ reply, written }, [written]);
    }
  } catch (error) {
    scope.postMessage({ error: (error as Error).message || String(error) });
  }
};

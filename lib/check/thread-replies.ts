/**
 * What the partition runners of Node (bin/commands/check-workers.ts) and the
 * browser (components/check/partition-runner.ts) share: threads that answer
 * their messages in order. A message is `ready`, a `reply` to the oldest
 * task sent, or an `error`; the first failure fails every pending task and
 * every later one.
 */
import type { PartitionReply } from './level-partition';

export type ThreadMessage = { ready: true } | { reply: PartitionReply } | { error: string };

export interface ThreadReplies {
  /** Resolves when thread `i` says it is ready; rejects on its failure. */
  ready: Array<Promise<void>>;
  /** What thread `i` said. */
  receive(i: number, message: ThreadMessage): void;
  /** Thread `i` (or the whole runner) failed. */
  fail(error: Error, i?: number): void;
  /** Sends a task with `post` and resolves with thread `i`'s reply to it. */
  send(i: number, post: () => void): Promise<PartitionReply>;
}

export function threadReplies(threads: number): ThreadReplies {
  const pending = Array.from({ length: threads }, () => [] as Array<{ resolve: (reply: PartitionReply) => void; reject: (error: Error) => void }>);
  const readiness = Array.from({ length: threads }, () => {
    let settle!: { resolve: () => void; reject: (error: Error) => void };
    const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    promise.catch(() => {}); // a failure is also reported through `send`
    return { promise, ...settle };
  });
  let broken: Error | null = null;
  const fail = (error: Error, i?: number) => {
    if (i !== undefined) readiness[i].reject(error);
    broken ??= error;
    for (const queue of pending) for (const p of queue.splice(0)) p.reject(broken);
  };
  return {
    ready: readiness.map((r) => r.promise),
    receive: (i, message) => {
      if ('ready' in message) readiness[i].resolve();
      else if ('error' in message) fail(new Error(`checker worker ${i}: ${message.error}`), i);
      else pending[i].shift()?.resolve(message.reply);
    },
    fail,
    send: (i, post) =>
      new Promise<PartitionReply>((resolve, reject) => {
        if (broken) return reject(broken);
        pending[i].push({ resolve, reject });
        post();
      }),
  };
}

/**
 * Whether threads can share memory here: Node always, a browser only on a
 * cross-origin-isolated page (elsewhere SharedArrayBuffer is missing, and
 * messages carry copies).
 */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/** Rejects when `signal` is aborted (at once if it already is). */
export function abortion(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal?.aborted) reject(new Error('not needed any more'));
    signal?.addEventListener('abort', () => reject(new Error('not needed any more')), { once: true });
  });
}

// Locks inside one OS process (process scope): readers-writer, FIFO, fencing tokens.
import { LockTimeoutError } from './locks';
import type { LockHandle, LockProvider } from './locks';

/** The host's timers (no DOM or Node types needed). */
const timers = globalThis as unknown as {
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
};

interface Waiter {
  readonly shared: boolean;
  readonly grant: () => void;
}

interface LockState {
  exclusive: boolean;
  readers: number;
  readonly queue: Waiter[];
  token: number;
}

/**
 * Locks inside this OS process (like `threading.Lock`): readers-writer, first
 * come first served, fencing tokens increasing per lock. A crashed process
 * takes its locks with it, so the crash rule is "released". A waiter with a timeout leaves the
 * queue when it runs out (LockTimeoutError).
 */
export function inProcessLocks(): LockProvider<'process'> & { readonly fencing: true } {
  const locks = new Map<string, LockState>();
  const stateOf = (id: string): LockState => {
    let s = locks.get(id);
    if (!s) {
      s = { exclusive: false, readers: 0, queue: [], token: 0 };
      locks.set(id, s);
    }
    return s;
  };
  const free = (s: LockState, shared: boolean) =>
    !s.exclusive && (shared ? s.queue.length === 0 || s.readers > 0 : s.readers === 0);
  const take = (s: LockState, shared: boolean) => {
    if (shared) s.readers++;
    else s.exclusive = true;
    s.token++;
  };
  const pump = (id: string, s: LockState) => {
    for (let next = s.queue[0]; next; next = s.queue[0]) {
      const ok = next.shared ? !s.exclusive : !s.exclusive && s.readers === 0;
      if (!ok) break;
      s.queue.shift();
      take(s, next.shared);
      next.grant();
      if (!next.shared) break;
    }
    if (!s.exclusive && s.readers === 0 && s.queue.length === 0) locks.delete(id);
  };
  const handle = (id: string, s: LockState, shared: boolean): LockHandle => {
    let released = false;
    return {
      token: s.token,
      async release() {
        if (released) return;
        released = true;
        if (shared) s.readers--;
        else s.exclusive = false;
        pump(id, s);
      },
    };
  };
  return {
    scope: 'process',
    fencing: true,
    acquire(name, key, { shared, timeout }) {
      const id = `${name}\u0000${key}`;
      const s = stateOf(id);
      if (s.queue.length === 0 && free(s, shared)) {
        take(s, shared);
        return Promise.resolve(handle(id, s, shared));
      }
      return new Promise<LockHandle>((resolve, reject) => {
        let timer: unknown = null;
        const waiter: Waiter = {
          shared,
          grant: () => {
            if (timer !== null) timers.clearTimeout(timer);
            resolve(handle(id, s, shared));
          },
        };
        s.queue.push(waiter);
        if (timeout === undefined) return;
        timer = timers.setTimeout(() => {
          const at = s.queue.indexOf(waiter);
          if (at < 0) return; // Granted meanwhile.
          s.queue.splice(at, 1);
          pump(id, s); // A writer that gave up may have kept readers behind it waiting.
          reject(new LockTimeoutError(name, key, timeout));
        }, timeout * 1000);
      });
    },
    async tryAcquire(name, key, { shared }) {
      const id = `${name}\u0000${key}`;
      const s = stateOf(id);
      if (s.queue.length === 0 && free(s, shared)) {
        take(s, shared);
        return handle(id, s, shared);
      }
      if (!s.exclusive && s.readers === 0 && s.queue.length === 0) locks.delete(id);
      return null;
    },
  };
}

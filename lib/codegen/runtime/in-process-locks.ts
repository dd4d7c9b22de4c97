// Locks inside one OS process (process scope): readers-writer, FIFO, fencing tokens.
import type { LockHandle, LockProvider } from './locks';

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
 * takes its locks with it, so the crash rule is "released".
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
    acquire(name, key, { shared }) {
      const id = `${name}\u0000${key}`;
      const s = stateOf(id);
      if (s.queue.length === 0 && free(s, shared)) {
        take(s, shared);
        return Promise.resolve(handle(id, s, shared));
      }
      return new Promise<LockHandle>((resolve) =>
        s.queue.push({ shared, grant: () => resolve(handle(id, s, shared)) }),
      );
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

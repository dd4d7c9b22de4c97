// PostgreSQL session advisory locks (cluster scope): every node on the same database contends.
import { LockTimeoutError } from './locks';
import type { LockHandle, LockProvider } from './locks';

/** What `pgAdvisoryLocks` needs of `pg.Pool`. */
export interface AdvisoryPoolLike {
  connect(): Promise<{
    query(text: string, values?: any[]): Promise<{ rows: any[] }>;
    release(error?: any): void;
    on?(event: 'error', listener: (error: Error) => void): unknown;
    off?(event: 'error', listener: (error: Error) => void): unknown;
  }>;
}

/** FNV-1a over UTF-16 code units, as a signed 32-bit integer (PostgreSQL's int4). */
export function advisoryKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * PostgreSQL session advisory locks: every node that uses the same database
 * contends (cluster scope). Each held lock keeps its own pooled connection, and
 * is released when its session ends — so a crashed holder's lock is released
 * at once (crash rule "released"); no lease, no fencing tokens. The pool must
 * have a connection for every lock held at once, plus one.
 * Key: `pg_advisory_lock(int4 hash of the lock name, int4 hash of the instance)`;
 * two keys that collide only make locking stricter, never weaker.
 * A timeout is the session's `lock_timeout` around the blocking `pg_advisory_lock` (then reset):
 * the server keeps the waiter in its fair queue and cancels the wait itself (SQLSTATE 55P03),
 * where polling the try variant would lose its place in the queue and cost a round trip
 * per poll. `SET LOCAL` is not usable: it needs a transaction, and a session lock outlives it.
 */
export function pgAdvisoryLocks(
  pool: AdvisoryPoolLike,
): LockProvider<'cluster'> & { readonly fencing: false } {
  const take = async (
    name: string,
    key: string,
    shared: boolean,
    attempt: boolean,
    timeout?: number,
  ): Promise<LockHandle | null> => {
    const client = await pool.connect();
    const args = [advisoryKey(name), advisoryKey(key)];
    try {
      const fn = `pg${attempt ? '_try' : ''}_advisory_lock${shared ? '_shared' : ''}`;
      if (timeout !== undefined) {
        // Whole milliseconds, at least 1: lock_timeout 0 would mean "wait for ever".
        const ms = `${Math.max(1, Math.ceil(timeout * 1000))}ms`;
        await client.query("SELECT set_config('lock_timeout', $1, false)", [ms]);
      }
      let rows: any[];
      try {
        ({ rows } = await client.query(`SELECT ${fn}($1::int4, $2::int4) AS ok`, args));
      } catch (error) {
        if (timeout === undefined || (error as { code?: unknown } | null)?.code !== '55P03')
          throw error;
        await client.query('RESET lock_timeout');
        client.release();
        throw new LockTimeoutError(name, key, timeout);
      }
      if (timeout !== undefined) await client.query('RESET lock_timeout');
      if (attempt && rows[0]?.ok !== true) {
        client.release();
        return null;
      }
    } catch (error) {
      if (error instanceof LockTimeoutError) throw error;
      client.release(error);
      throw error;
    }
    // A session lost while the lock is held (server restart, network) must not crash the
    // process with an unhandled 'error' event; the lock went with the session.
    let lost: Error | null = null;
    const onError = (error: Error) => {
      lost = error;
    };
    client.on?.('error', onError);
    let released = false;
    return {
      token: null,
      async release() {
        if (released) return;
        released = true;
        client.off?.('error', onError);
        if (lost) {
          client.release(lost);
          return;
        }
        try {
          await client.query(
            `SELECT pg_advisory_unlock${shared ? '_shared' : ''}($1::int4, $2::int4)`,
            args,
          );
          client.release();
        } catch (error) {
          // Destroying the connection ends the session, which releases the lock.
          client.release(error);
          throw error;
        }
      },
    };
  };
  return {
    scope: 'cluster',
    fencing: false,
    acquire: async (name, key, { shared, timeout }) =>
      (await take(name, key, shared, false, timeout))!,
    tryAcquire: (name, key, { shared }) => take(name, key, shared, true),
  };
}

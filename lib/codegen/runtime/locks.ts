// Lock policies as typed descriptors, scope-typed providers, and withLocks (one global order).
// Descriptors say what each lock must guarantee; providers say what they can
// honour. The scope is part of a provider's TYPE: handing a provider that only
// excludes within one node to a lock that must exclude across the cluster does
// not compile.

/** Who contends for a lock: one OS process, one node, or every node. */
export type Scope = 'process' | 'node' | 'cluster';

/** The provider scopes that honour a lock of scope S: a wider one always does. */
export type ScopesHonouring<S extends Scope> = S extends 'process'
  ? Scope
  : S extends 'node'
    ? 'node' | 'cluster'
    : 'cluster';

/** A lock policy of the model. */
export interface LockDescriptor<
  Name extends string = string,
  S extends Scope = Scope,
  F extends boolean = boolean,
> {
  readonly name: Name;
  /** The resource type it is keyed by (one lock per instance), or null for a global lock. */
  readonly key: string | null;
  readonly scope: S;
  /**
   * What happens when its holder crashes: released at once, after its lease, or never (needs an
   * operator).
   */
  readonly onCrash: 'released' | 'after-lease' | 'never';
  /** Whether the lease can expire while the holder still runs (then writes must be fenced). */
  readonly leaseCanExpire: boolean;
  /** Whether writes under it must carry fencing tokens. */
  readonly fencing: F;
  /** The backend the model names (informational). */
  readonly backend: string | null;
  /** Position in the one global acquisition order. */
  readonly order: number;
}

/** A held lock. `token` is the fencing token when the provider issues them. */
export interface LockHandle {
  readonly token: number | null;
  release(): Promise<void>;
}

export interface AcquireOptions {
  readonly shared: boolean;
  /**
   * Seconds to wait while another holds the lock (the model's acquire timeout, tooz's
   * blocking=seconds); then the acquire rejects with LockTimeoutError. Absent: wait for ever.
   */
  readonly timeout?: number;
}

/** An acquire gave up after its timeout: the caller runs the model's else steps. */
export class LockTimeoutError extends Error {
  constructor(
    readonly lock: string,
    readonly key: string,
    readonly timeout: number,
  ) {
    super(`${lock}(${key}) was still held by another after ${timeout} s`);
    this.name = 'LockTimeoutError';
  }
}

/** A lock implementation. `scope` is what it can honour; `fencing` whether it issues tokens. */
export interface LockProvider<S extends Scope = Scope> {
  readonly scope: S;
  readonly fencing: boolean;
  /**
   * Blocks until the lock `name` on `key` is held, or rejects with LockTimeoutError once
   * `options.timeout` seconds have passed.
   */
  acquire(name: string, key: string, options: AcquireOptions): Promise<LockHandle>;
  /** Takes the lock if it is free now; null otherwise. */
  tryAcquire(name: string, key: string, options: AcquireOptions): Promise<LockHandle | null>;
}

/**
 * A provider that can implement the lock `Name`: one whose scope honours S and,
 * when F is true, that issues fencing tokens. The lock's name is part of the
 * type so a mismatch names the lock in the compiler's message.
 */
export interface ProviderFor<Name extends string, S extends Scope, F extends boolean>
  extends LockProvider<ScopesHonouring<S>> {
  readonly fencing: F extends true ? true : boolean;
  readonly __lock?: Name;
}

/** One lock to take: which lock, on which instance, with which provider. */
export interface LockRequest {
  readonly lock: LockDescriptor;
  readonly on: string | number | null;
  readonly provider: LockProvider;
  readonly shared: boolean;
  /** Seconds to wait for it, or null: wait for ever. */
  readonly timeout: number | null;
}

/**
 * Asks for `lock` on instance `on` (null for a global lock) from `provider`.
 * The provider must honour the lock's scope: otherwise this does not compile.
 */
export function using<Name extends string, S extends Scope, F extends boolean>(
  lock: LockDescriptor<Name, S, F>,
  on: string | number | null,
  provider: ProviderFor<Name, S, F>,
  options: { shared?: boolean; timeout?: number } = {},
): LockRequest {
  if (options.timeout !== undefined && !(options.timeout > 0))
    throw new TypeError(`${lock.name}: a timeout is a number of seconds above 0`);
  if ((lock.key === null) !== (on === null)) {
    throw new TypeError(
      lock.key === null
        ? `${lock.name} is a global lock: pass null`
        : `${lock.name} is keyed by ${lock.key}: say which instance`,
    );
  }
  return { lock, on, provider, shared: options.shared ?? false, timeout: options.timeout ?? null };
}

/** The locks held inside `withLocks`: their fencing tokens. */
export interface HeldLocks {
  /**
   * The fencing token of a held lock: always a number for a fencing lock, else null when its
   * provider issues none.
   */
  token<F extends boolean>(
    lock: LockDescriptor<string, Scope, F>,
    on: string | number | null,
  ): F extends true ? number : number | null;
}

function lockKey(r: LockRequest): string {
  return r.on === null ? '' : String(r.on);
}

/**
 * The global order: by the lock's order, then by instance key. Acquiring in one order everywhere
 * rules out lock-order deadlocks.
 */
export function compareRequests(a: LockRequest, b: LockRequest): number {
  if (a.lock.order !== b.lock.order) return a.lock.order - b.lock.order;
  const ka = lockKey(a);
  const kb = lockKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Acquires every requested lock in the one global order, runs `body`, and
 * releases them in reverse order on every exit — return, throw, or a failed
 * acquire half-way. Asking twice for the same lock on the same instance is an error.
 * A request with a timeout that runs out rejects with LockTimeoutError (naming the lock), after
 * releasing the locks already taken: catch it and run the model's else steps.
 */
export async function withLocks<T>(
  requests: readonly LockRequest[],
  body: (held: HeldLocks) => Promise<T>,
): Promise<T> {
  const sorted = [...requests].sort(compareRequests);
  sorted.forEach((request, i) => {
    const previous = sorted[i - 1];
    if (previous && compareRequests(previous, request) === 0)
      throw new TypeError(`${request.lock.name}(${lockKey(request)}) is requested twice`);
  });
  const held: Array<{ request: LockRequest; handle: LockHandle }> = [];
  const releaseAll = async (): Promise<unknown[]> => {
    const errors: unknown[] = [];
    while (held.length) {
      const { handle } = held.pop()!;
      try {
        await handle.release();
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  };
  let result: T;
  try {
    for (const request of sorted) {
      const options: AcquireOptions =
        request.timeout === null
          ? { shared: request.shared }
          : { shared: request.shared, timeout: request.timeout };
      const handle = await request.provider.acquire(request.lock.name, lockKey(request), options);
      held.push({ request, handle });
    }
    const tokens = new Map(
      held.map(({ request, handle }) => [
        `${request.lock.name}\u0000${lockKey(request)}`,
        handle.token,
      ]),
    );
    const view: HeldLocks = {
      token<F extends boolean>(lock: LockDescriptor<string, Scope, F>, on: string | number | null) {
        const t = tokens.get(`${lock.name}\u0000${on === null ? '' : String(on)}`);
        if (t === undefined)
          throw new TypeError(`${lock.name}(${on === null ? '' : String(on)}) is not held here`);
        if (lock.fencing && t === null)
          throw new TypeError(`${lock.name} needs fencing tokens but its provider issued none`);
        return t as F extends true ? number : number | null;
      },
    };
    result = await body(view);
  } catch (error) {
    await releaseAll();
    throw error;
  }
  const errors = await releaseAll();
  if (errors.length) throw errors[0];
  return result;
}

/**
 * What expressions and steps are checked against: resources with their states
 * and typed fields, locks with their policy filled in from the backend, and
 * each operation's step labels. Built from a structurally valid document.
 */
import type { Lock, ModelDocument, StateKind } from './schema';
import { forEachStep } from './walk';
import { BOOL, type Type } from './expr/types';

export interface ResourceInfo {
  name: string;
  states: string[];
  stateKinds: StateKind[];
  initial: number;
  /** `state` plus every declared field. */
  fields: Map<string, Type>;
  /** Declared initial values of fields (literals), by field name. */
  fieldInitials: Map<string, string | number | boolean | undefined>;
  /** Allowed edges as `from->to` of state names. */
  edges: Set<string>;
}

export interface LockPolicy {
  name: string;
  key: string | undefined;
  backend: Lock['backend'];
  scope: 'process' | 'node' | 'cluster';
  onCrash: 'released' | 'after-lease' | 'never';
  leaseCanExpire: boolean;
  fencing: boolean;
}

export interface Catalog {
  resources: Map<string, ResourceInfo>;
  locks: Map<string, LockPolicy>;
  operations: Map<string, { labels: Set<string>; params: Map<string, string> }>;
}

/** Defaults each backend implies; explicit fields in the document win. */
export const BACKEND_DEFAULTS: Record<NonNullable<Lock['backend']>, Omit<LockPolicy, 'name' | 'key' | 'backend'>> = {
  threading: { scope: 'process', onCrash: 'released', leaseCanExpire: false, fencing: false },
  file: { scope: 'node', onCrash: 'released', leaseCanExpire: false, fencing: false },
  zookeeper: { scope: 'cluster', onCrash: 'after-lease', leaseCanExpire: true, fencing: true },
  etcd: { scope: 'cluster', onCrash: 'after-lease', leaseCanExpire: true, fencing: true },
  redis: { scope: 'cluster', onCrash: 'after-lease', leaseCanExpire: true, fencing: false },
  'postgres-advisory': { scope: 'cluster', onCrash: 'released', leaseCanExpire: false, fencing: false },
  'db-row': { scope: 'cluster', onCrash: 'never', leaseCanExpire: false, fencing: false },
};

/** The lock's policy: explicit settings, then the backend's defaults; a scenario override replaces the lock's own. */
export function lockPolicy(lock: Lock, override?: Partial<Omit<Lock, 'name' | 'key'>>): LockPolicy {
  if (override) {
    // A scenario that names another backend means "this lock, implemented that way".
    const base = override.backend ? { name: lock.name, key: lock.key } : lock;
    return lockPolicy({ ...base, ...override } as Lock);
  }
  const defaults = lock.backend
    ? BACKEND_DEFAULTS[lock.backend]
    : { scope: 'cluster' as const, onCrash: 'released' as const, leaseCanExpire: false, fencing: false };
  return {
    name: lock.name,
    key: lock.key,
    backend: lock.backend,
    scope: lock.scope ?? defaults.scope,
    onCrash: lock.onCrash ?? defaults.onCrash,
    leaseCanExpire: lock.leaseCanExpire ?? defaults.leaseCanExpire,
    fencing: lock.fencing ?? defaults.fencing,
  };
}

export function stateType(resource: string, states: readonly string[]): Type {
  return { kind: 'enum', of: `${resource}.state`, values: states };
}

export function buildCatalog(model: ModelDocument): Catalog {
  const resources = new Map<string, ResourceInfo>();
  for (const resource of model.resources) {
    const states = resource.states.map((s) => s.name);
    const fields = new Map<string, Type>([['state', stateType(resource.name, states)]]);
    const fieldInitials = new Map<string, string | number | boolean | undefined>();
    for (const field of resource.fields ?? []) {
      const t = field.type;
      fields.set(
        field.name,
        t.kind === 'bool'
          ? BOOL
          : t.kind === 'int'
            ? { kind: 'int', min: t.min, max: t.max }
            : t.kind === 'enum'
              ? { kind: 'enum', of: `${resource.name}.${field.name}`, values: t.values }
              : { kind: 'ref', resource: t.resource },
      );
      fieldInitials.set(field.name, field.initial);
    }
    resources.set(resource.name, {
      name: resource.name,
      states,
      stateKinds: resource.states.map((s) => s.kind),
      initial: Math.max(0, states.indexOf(resource.initial)),
      fields,
      fieldInitials,
      edges: new Set(resource.transitions.map((t) => `${t.from}->${t.to}`)),
    });
  }
  const locks = new Map(model.locks.map((lock) => [lock.name, lockPolicy(lock)]));
  const operations = new Map(
    model.operations.map((op) => {
      const labels = new Set<string>();
      forEachStep(op.steps, (step) => {
        if (step.label) labels.add(step.label);
      });
      return [op.name, { labels, params: new Map(op.params.map((p) => [p.name, p.type])) }];
    }),
  );
  return { resources, locks, operations };
}

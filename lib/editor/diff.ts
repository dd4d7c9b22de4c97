/**
 * A structural diff between two versions of a model: resources, states,
 * transitions, operations and their steps, locks, invariants and scenarios,
 * each added, removed or changed. Pure; the history panel renders the entries.
 */
import { stepText, type ModelDocument, type Resource, type Step } from '@/lib/model';
import { childBlocks } from '@/lib/model/walk';

export type DiffKind = 'added' | 'removed' | 'changed';
export type DiffArea = 'model' | 'resource' | 'state' | 'transition' | 'field' | 'operation' | 'param' | 'step' | 'lock' | 'invariant' | 'scenario';

export interface DiffEntry {
  kind: DiffKind;
  area: DiffArea;
  /** The owner, e.g. `Share` for a state, `deleteShare` for a step. */
  where: string;
  /** What changed, e.g. the state's name, or the step's pseudo-code. */
  what: string;
  /** For a change: old → new. */
  detail?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Compares two named lists: entries for added and removed names, `changed` called for names in both. */
function byName<T>(
  a: readonly T[],
  b: readonly T[],
  name: (t: T) => string,
  entry: (kind: 'added' | 'removed', t: T) => DiffEntry,
  changed: (x: T, y: T) => DiffEntry[],
): DiffEntry[] {
  const out: DiffEntry[] = [];
  const left = new Map(a.map((t) => [name(t), t]));
  const right = new Map(b.map((t) => [name(t), t]));
  for (const [n, t] of left) if (!right.has(n)) out.push(entry('removed', t));
  for (const [n, t] of right) {
    const old = left.get(n);
    if (old === undefined) out.push(entry('added', t));
    else out.push(...changed(old, t));
  }
  return out;
}

/** The steps as indented lines: nested blocks one level deeper, each under its block name. */
export function stepLines(steps: readonly Step[], depth = 0): string[] {
  const pad = '  '.repeat(depth);
  const out: string[] = [];
  for (const step of steps) {
    out.push(`${pad}${step.label ? `[${step.label}] ` : ''}${stepText(step)}`);
    for (const [key, block] of childBlocks(step)) {
      // A body (`steps` of atomic, with) sits right under its step; named blocks get a heading.
      const named = key !== 'steps';
      if (named) out.push(`${pad}  ${key}:`);
      out.push(...stepLines(block, depth + (named ? 2 : 1)));
    }
  }
  return out;
}

type LineOp = { op: 'same' | 'add' | 'del'; line: string };

/** Line diff by longest common subsequence (operations are short). */
export function diffLines(a: readonly string[], b: readonly string[]): LineOp[] {
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', line: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: 'del', line: a[i++] });
    else out.push({ op: 'add', line: b[j++] });
  }
  while (i < n) out.push({ op: 'del', line: a[i++] });
  while (j < m) out.push({ op: 'add', line: b[j++] });
  return out;
}

/** Step entries: a run of removed lines followed by added ones pairs up as changes. */
function diffSteps(where: string, a: readonly Step[], b: readonly Step[]): DiffEntry[] {
  const ops = diffLines(stepLines(a), stepLines(b));
  const out: DiffEntry[] = [];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].op === 'same') {
      k++;
      continue;
    }
    const dels: string[] = [];
    const adds: string[] = [];
    while (k < ops.length && ops[k].op === 'del') dels.push(ops[k++].line.trim());
    while (k < ops.length && ops[k].op === 'add') adds.push(ops[k++].line.trim());
    const pairs = Math.min(dels.length, adds.length);
    for (let p = 0; p < pairs; p++) out.push({ kind: 'changed', area: 'step', where, what: adds[p], detail: `${dels[p]} → ${adds[p]}` });
    for (const line of dels.slice(pairs)) out.push({ kind: 'removed', area: 'step', where, what: line });
    for (const line of adds.slice(pairs)) out.push({ kind: 'added', area: 'step', where, what: line });
  }
  // The pseudo-code shows every field; should two steps still print alike, the change is not lost.
  if (out.length === 0 && !same(a, b)) out.push({ kind: 'changed', area: 'step', where, what: 'steps' });
  return out;
}

export function diffModels(a: ModelDocument, b: ModelDocument): DiffEntry[] {
  const out: DiffEntry[] = [];
  if (a.name !== b.name) out.push({ kind: 'changed', area: 'model', where: 'model', what: 'name', detail: `${a.name} → ${b.name}` });
  if ((a.description ?? '') !== (b.description ?? '')) out.push({ kind: 'changed', area: 'model', where: 'model', what: 'description' });

  out.push(
    ...byName(
      a.resources,
      b.resources,
      (r) => r.name,
      (kind, r) => ({ kind, area: 'resource', where: r.name, what: r.name }),
      (x, y) => {
        const w = y.name;
        // A state that disappeared and one that appeared with the same kind and the same edges is a rename.
        const renames = detectRenames(x, y);
        const renamed = (name: string) => renames.get(name) ?? name;
        const xr = {
          ...x,
          states: x.states.map((st) => ({ ...st, name: renamed(st.name) })),
          initial: renamed(x.initial),
          transitions: x.transitions.map((t) => ({ ...t, from: renamed(t.from), to: renamed(t.to) })),
        };
        const entries: DiffEntry[] = [...renames].map(([from, to]) => ({ kind: 'changed', area: 'state', where: w, what: to, detail: `renamed from ${from}` }));
        x = xr;
        entries.push(...byName(
          x.states,
          y.states,
          (s) => s.name,
          (kind, s) => ({ kind, area: 'state', where: w, what: s.name, ...(kind === 'added' ? { detail: s.kind } : {}) }),
          (s, t) => [
            ...(s.kind !== t.kind ? [{ kind: 'changed' as const, area: 'state' as const, where: w, what: s.name, detail: `${s.kind} → ${t.kind}` }] : []),
            ...((s.description ?? '') !== (t.description ?? '') ? [{ kind: 'changed' as const, area: 'state' as const, where: w, what: s.name, detail: 'description' }] : []),
          ],
        ));
        if ((x.description ?? '') !== (y.description ?? '')) entries.push({ kind: 'changed', area: 'resource', where: w, what: 'description' });
        // Same states under the same names, in another order (the first one listed is the palette's default).
        if (entries.length === 0 && !same(x.states.map((st) => st.name), y.states.map((st) => st.name))) entries.push({ kind: 'changed', area: 'resource', where: w, what: 'order of states' });
        if (x.initial !== y.initial) entries.push({ kind: 'changed', area: 'resource', where: w, what: 'initial state', detail: `${x.initial} → ${y.initial}` });
        entries.push(
          ...byName(
            x.transitions,
            y.transitions,
            (t) => `${t.from} → ${t.to}`,
            (kind, t) => ({ kind, area: 'transition', where: w, what: `${t.from} → ${t.to}`, ...(t.name ? { detail: t.name } : {}) }),
            (s, t) => ((s.name ?? '') !== (t.name ?? '') ? [{ kind: 'changed', area: 'transition', where: w, what: `${t.from} → ${t.to}`, detail: `${s.name ?? '(unnamed)'} → ${t.name ?? '(unnamed)'}` }] : []),
          ),
          ...byName(
            x.fields ?? [],
            y.fields ?? [],
            (f) => f.name,
            (kind, f) => ({ kind, area: 'field', where: w, what: f.name }),
            (f, g) => (same(f, g) ? [] : [{ kind: 'changed', area: 'field', where: w, what: f.name }]),
          ),
        );
        return entries;
      },
    ),
  );

  out.push(
    ...byName(
      a.operations,
      b.operations,
      (o) => o.name,
      (kind, o) => ({ kind, area: 'operation', where: o.name, what: o.name }),
      (x, y) => [
        ...byName(
          x.params,
          y.params,
          (p) => p.name,
          (kind, p) => ({ kind, area: 'param', where: y.name, what: `${p.name}: ${p.type}` }),
          (p, q) => (p.type !== q.type ? [{ kind: 'changed', area: 'param', where: y.name, what: p.name, detail: `${p.type} → ${q.type}` }] : []),
        ),
        ...((x.description ?? '') !== (y.description ?? '') ? [{ kind: 'changed' as const, area: 'operation' as const, where: y.name, what: 'description' }] : []),
        ...(!same(x.params, y.params) && same(x.params.map((p) => p.name).sort(), y.params.map((p) => p.name).sort()) && x.params.every((p) => y.params.find((q) => q.name === p.name)?.type === p.type)
          ? [{ kind: 'changed' as const, area: 'param' as const, where: y.name, what: 'order of parameters' }]
          : []),
        ...diffSteps(y.name, x.steps, y.steps),
      ],
    ),
  );

  out.push(
    ...byName(
      a.locks,
      b.locks,
      (l) => l.name,
      (kind, l) => ({ kind, area: 'lock', where: l.name, what: l.name }),
      (x, y) => {
        const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => !same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
        return keys.length ? [{ kind: 'changed', area: 'lock', where: y.name, what: y.name, detail: keys.map((k) => `${k}: ${String((x as Record<string, unknown>)[k] ?? '—')} → ${String((y as Record<string, unknown>)[k] ?? '—')}`).join(', ') }] : [];
      },
    ),
    ...byName(
      a.invariants,
      b.invariants,
      (i) => i.name,
      (kind, i) => ({ kind, area: 'invariant', where: i.name, what: i.name }),
      (x, y) => [
        ...(x.expr !== y.expr ? [{ kind: 'changed' as const, area: 'invariant' as const, where: y.name, what: y.name, detail: `${x.expr} → ${y.expr}` }] : []),
        ...((x.description ?? '') !== (y.description ?? '') ? [{ kind: 'changed' as const, area: 'invariant' as const, where: y.name, what: y.name, detail: 'description' }] : []),
      ],
    ),
    ...byName(
      a.scenarios,
      b.scenarios,
      (s) => s.name,
      (kind, s) => ({ kind, area: 'scenario', where: s.name, what: s.name }),
      (x, y) => {
        const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => !same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
        return keys.length ? [{ kind: 'changed', area: 'scenario', where: y.name, what: y.name, detail: keys.join(', ') }] : [];
      },
    ),
  );
  if (!same(a.layout ?? {}, b.layout ?? {})) out.push({ kind: 'changed', area: 'model', where: 'model', what: 'layout', detail: 'state positions' });
  // Whatever the entries above do not name (the order of operations, locks or scenarios, `$schema`…) still shows.
  if (out.length === 0 && !same(a, b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
    const reordered = keys.every((k) => Array.isArray((b as Record<string, unknown>)[k]));
    out.push({ kind: 'changed', area: 'model', where: 'model', what: keys.join(', '), ...(reordered ? { detail: 'order' } : {}) });
  }
  return out;
}

/** A one-line summary for a version message, e.g. `added state Share.archived; changed step in deleteShare (+2 more)`. */
export function summarizeDiff(entries: readonly DiffEntry[], max = 3): string {
  if (entries.length === 0) return 'No structural changes';
  const one = (e: DiffEntry) => {
    switch (e.area) {
      case 'state':
        if (e.detail?.startsWith('renamed from ')) return `renamed state ${e.where}.${e.detail.slice('renamed from '.length)} → ${e.what}`;
        return `${e.kind} ${e.area} ${e.where}.${e.what}`;
      case 'field':
        return `${e.kind} ${e.area} ${e.where}.${e.what}`;
      case 'transition':
        return `${e.kind} transition ${e.where}: ${e.what}`;
      case 'step':
      case 'param':
        return `${e.kind} ${e.area} in ${e.where}`;
      case 'model':
        return `${e.kind} model ${e.what}`;
      default:
        return `${e.kind} ${e.area} ${e.what}`;
    }
  };
  const unique = [...new Set(entries.map(one))];
  const head = unique.slice(0, max).join('; ');
  return unique.length > max ? `${head} (+${unique.length - max} more)` : head;
}

/** Pairs removed and added states of one resource that are the same state under a new name. */
export function detectRenames(x: Resource, y: Resource): Map<string, string> {
  const before = new Set(x.states.map((st) => st.name));
  const after = new Set(y.states.map((st) => st.name));
  const removed = x.states.filter((st) => !after.has(st.name));
  const added = y.states.filter((st) => !before.has(st.name));
  const edges = (r: Resource, map: (n: string) => string) => new Set(r.transitions.map((t) => `${map(t.from)}->${map(t.to)}`));
  const yEdges = edges(y, (n) => n);
  const out = new Map<string, string>();
  for (const old of removed) {
    const touching = x.transitions.filter((t) => t.from === old.name || t.to === old.name);
    const match = added.find((nu) => {
      if (nu.kind !== old.kind || [...out.values()].includes(nu.name)) return false;
      const sub = (n: string) => (n === old.name ? nu.name : n);
      const theirs = y.transitions.filter((t) => t.from === nu.name || t.to === nu.name);
      return touching.length === theirs.length && touching.every((t) => yEdges.has(`${sub(t.from)}->${sub(t.to)}`)) && (touching.length > 0 || (removed.length === 1 && added.length === 1));
    });
    if (match) out.set(old.name, match.name);
  }
  return out;
}

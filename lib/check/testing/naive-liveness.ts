/**
 * A naive reference for the liveness search (liveness*.ts), for testing it.
 * Independent where it counts: the graph comes from the reference
 * interpreter (which walks the step tree, not the compiled program), the
 * components from mutual reachability (a BFS from every state, no Tarjan),
 * and the least fair cycle from brute force: every closed walk from the start
 * state up to `maxCycle` steps, each tested for weak fairness directly.
 * Only for small graphs.
 */
import type { AnalyzedModel } from '../../model/analyzed';
import { isDaemon } from '../../model/daemon';
import { referenceCheck, type ReferenceFacts } from './reference-interpreter';

export interface NaiveLivenessOutcome {
  /** `unsafe`: the reference found a safety violation first (no liveness verdict). */
  verdict: 'pass' | 'violation' | 'incomplete' | 'unsafe';
  kind: 'non-termination' | 'stays-transitional' | null;
  /** Steps from the initial state to the nearest state of a bad fair component. */
  prefix: number | null;
  /** The least fair bad cycle from a nearest such state (null: none within maxCycle steps). */
  cycle: number | null;
}

export interface NaiveLivenessOptions {
  maxStates?: number;
  /** Longest closed walk the brute-force cycle search tries (default 8). */
  maxCycle?: number;
}

interface Edge {
  to: number;
  actor: string;
}

export function naiveLiveness(model: AnalyzedModel, scenarioName: string, options: NaiveLivenessOptions = {}): NaiveLivenessOutcome {
  const maxCycle = options.maxCycle ?? 8;
  const scenario = model.scenarios.find((s) => s.source.name === scenarioName)!;
  const checks = scenario.source.checks ?? {};
  const index = new Map<string, number>();
  const facts: ReferenceFacts[] = [];
  const edges: Edge[][] = [];
  const id = (raw: string) => {
    const key = normalize(raw);
    let i = index.get(key);
    if (i === undefined) {
      i = index.size;
      index.set(key, i);
      edges.push([]);
    }
    return i;
  };
  const reference = referenceCheck(model, scenarioName, options.maxStates ?? 2_000, {
    state: (key, f) => void (facts[id(key)] = f),
    edge: (from, to, actor) => void edges[id(from)].push({ to: id(to), actor }),
  });
  if (reference.verdict === 'incomplete') return { verdict: 'incomplete', kind: null, prefix: null, cycle: null };
  if (reference.verdict === 'violation') return { verdict: 'unsafe', kind: null, prefix: null, cycle: null };
  const n = index.size;

  // Processes in scenario order (recoveries last), as the reference places them.
  const src = scenario.source;
  const daemon = [...src.processes.flatMap((p) => Array.from({ length: p.count ?? 1 }, () => p.operation)), ...(src.recovery ?? []).map((p) => p.operation)].map((op) =>
    isDaemon(model.operations.get(op)!),
  );
  const leases = [...new Set(facts.flatMap((f) => f.leases))];
  const obligations = [...daemon.map((_, p) => `p${p}`), ...leases];
  const isEnabled = (v: number, o: string) => (o.startsWith('p') ? facts[v].enabled[Number(o.slice(1))] : facts[v].leases.includes(o));

  /** States reachable in one step or more, inside `keep`. */
  const reachFrom = (v: number, keep: (s: number) => boolean): Set<number> => {
    const seen = new Set<number>();
    const queue = [v];
    for (let h = 0; h < queue.length; h++) {
      for (const e of edges[queue[h]]) {
        if (!keep(e.to) || seen.has(e.to)) continue;
        seen.add(e.to);
        queue.push(e.to);
      }
    }
    return seen;
  };
  const distance = (() => {
    const d = new Array<number>(n).fill(-1);
    d[0] = 0;
    const queue = [0];
    for (let h = 0; h < queue.length; h++) for (const e of edges[queue[h]]) if (d[e.to] < 0) queue.push(e.to), (d[e.to] = d[queue[h]] + 1);
    return d;
  })();

  type Bad = { start: number; members: Set<number>; kind: NonNullable<NaiveLivenessOutcome['kind']> };
  const bad: Bad[] = [];
  const search = (kind: Bad['kind'], keep: (s: number) => boolean, isBad: (members: Set<number>) => boolean) => {
    const reach = new Map<number, Set<number>>();
    for (let v = 0; v < n; v++) if (keep(v)) reach.set(v, reachFrom(v, keep));
    for (let v = 0; v < n; v++) {
      if (!keep(v) || !reach.get(v)!.has(v)) continue; // on no cycle
      const members = new Set([...reach.get(v)!].filter((w) => reach.get(w)!.has(v)));
      if (Math.min(...members) !== v) continue; // each component once, from its least state
      const fair = obligations.every((o) => [...members].some((s) => !isEnabled(s, o) || edges[s].some((e) => members.has(e.to) && e.actor === o)));
      if (fair && isBad(members)) bad.push({ start: v, members, kind });
    }
  };
  if (checks.termination) {
    search('non-termination', () => true, (members) => daemon.some((d, p) => !d && [...members].every((s) => facts[s].running[p])));
  }
  if (checks.leavesTransitional) {
    const instances = facts[0].transitional.length;
    for (let i = 0; i < instances; i++) search('stays-transitional', (s) => facts[s].transitional[i], () => true);
  }
  if (bad.length === 0) return { verdict: 'pass', kind: null, prefix: null, cycle: null };

  // Least prefix: the nearest state of any bad fair component; then the least fair closed walk from it.
  let prefix = Infinity;
  for (const b of bad) for (const s of b.members) prefix = Math.min(prefix, distance[s]);
  let cycle: number | null = null;
  let kind: Bad['kind'] | null = null;
  for (const b of bad) {
    for (const s of b.members) {
      if (distance[s] !== prefix) continue;
      const length = leastFairWalk(s, b.members);
      if (length !== null && (cycle === null || length < cycle)) {
        cycle = length;
        kind = b.kind;
      }
    }
  }
  return { verdict: 'violation', kind: kind ?? bad[0].kind, prefix, cycle };

  /** Brute force: the shortest closed walk from `start` inside `members` on which every obligation acts or is disabled somewhere. */
  function leastFairWalk(start: number, members: Set<number>): number | null {
    for (let length = 1; length <= maxCycle; length++) {
      const walkStates: number[] = [];
      const walkActors: string[] = [];
      const fair = () => obligations.every((o) => walkActors.includes(o) || walkStates.some((s) => !isEnabled(s, o)));
      const extend = (at: number): boolean => {
        if (walkStates.length === length) return at === start && fair();
        walkStates.push(at);
        for (const e of edges[at]) {
          if (!members.has(e.to)) continue;
          walkActors.push(e.actor);
          const found = extend(e.to);
          walkActors.pop();
          if (found) return true;
        }
        walkStates.pop();
        return false;
      };
      if (extend(start)) return length;
    }
    return null;
  }
}

/**
 * The reference's state key with what cannot matter taken out, so that its
 * states match the checker's one for one (a lasso closes on an identical
 * state, so its length depends on state identity): a local never set reads
 * as 0 (the reference evaluates a missing local as 0), and an ended process
 * keeps no position or locals.
 */
function normalize(key: string): string {
  const [instances, procs, ...rest] = JSON.parse(key) as [unknown, Array<[string, unknown, Array<[string, number]>, unknown]>, ...unknown[]];
  const normalized = procs.map(([status, stack, locals, held]) =>
    status === 'running' ? [status, stack, locals.filter(([, v]) => v !== 0), held] : [status, [], [], held],
  );
  return JSON.stringify([instances, normalized, ...rest]);
}

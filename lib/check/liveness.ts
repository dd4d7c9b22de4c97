/**
 * Liveness under weak fairness (docs/checker.md, "Liveness"; docs/design.md
 * section 9): every operation process that can end eventually ends
 * (`termination`), and no instance stays transitional for ever
 * (`leavesTransitional`). Run after the safety search has passed: records
 * the whole reachable graph (liveness-graph.ts), finds the strongly
 * connected components that hold a fair bad cycle (liveness-scc.ts,
 * liveness-lasso.ts) and reports the shortest lasso: the least prefix to a
 * state of such a component, then the least fair cycle from that state.
 */
import { isDaemon } from '../model/daemon';
import { where } from './executor';
import type { ExploreOptions, ExploreOutcome } from './explore';
import { RUNNING } from './layout';
import { recordGraph, type RecordedGraph } from './liveness-graph';
import { isFairComponent, leastFairCycle, MAX_CYCLE_PAIRS, sourceOf } from './liveness-lasso';
import { forEachCyclicComponent } from './liveness-scc';
import type { CheckStats, Violation } from './result';
import { Semantics } from './semantics';
import { compileSystem, type CheckOptions, type System } from './system';

/** Whether the scenario asks for any liveness check. */
export function wantsLiveness(system: System): boolean {
  return system.checks.termination === true || system.checks.leavesTransitional === true;
}

export interface LivenessOutcome extends ExploreOutcome {
  /** The system the search ran on (symmetry off): replay `path` on it. */
  system: System;
  /** Index in `path` where the cycle begins (violation only). */
  cycleStart?: number;
}

/**
 * What a check found once its safety search is done: the safety outcome, or — when it
 * passed and the scenario asks for liveness — the liveness search's, run on what is left
 * of the time limit, its elapsed time covering both. `system` is where `path` replays.
 * The browser, the CLI and the server's re-check all go through here.
 */
export function afterSafety(
  system: System,
  safety: ExploreOutcome,
  options: ExploreOptions & CheckOptions & { maxBytes?: number },
): { outcome: ExploreOutcome; system: System; liveness: LivenessOutcome | null } {
  if (safety.verdict !== 'pass' || !wantsLiveness(system)) return { outcome: safety, system, liveness: null };
  const timeLimitMs = options.timeLimitMs === undefined ? undefined : Math.max(0, options.timeLimitMs - safety.stats.elapsedMs);
  const liveness = exploreLiveness(system, { ...options, timeLimitMs });
  const elapsedMs = Math.round((liveness.stats.elapsedMs + safety.stats.elapsedMs) * 10) / 10;
  return { outcome: { ...liveness, stats: { ...liveness.stats, elapsedMs } }, system: liveness.system, liveness };
}

/** The system without symmetry reduction: fairness is per process, so processes must keep their identity. */
export function livenessSystem(system: System, options: CheckOptions = {}): System {
  if (system.symmetryGroups.length === 0) return system;
  return compileSystem(system.model, system.scenario.source.name, { ...options, symmetry: false });
}

/** States at the least depth tried as the loop's start (each costs one least-cycle search). */
const MAX_LOOP_STARTS = 16;

/** Bytes per state of the Tarjan pass (six 4-byte arrays), added to the recorded graph's. */
const SCC_BYTES_PER_STATE = 24;

interface Candidate {
  start: number;
  depth: number;
  members: Int32Array;
  kind: 'non-termination' | 'stays-transitional';
  /** Process (non-termination) or instance (stays-transitional) index. */
  subject: number;
}

const bit = (row: Uint32Array, at: number, i: number) => (row[at + (i >>> 5)] & (1 << (i & 31))) !== 0;

export function exploreLiveness(safetySystem: System, options: ExploreOptions & CheckOptions & { maxBytes?: number } = {}): LivenessOutcome {
  const now = options.now ?? (() => globalThis.performance?.now() ?? Date.now());
  const started = now();
  const system = livenessSystem(safetySystem, options);
  const termination = system.checks.termination === true;
  const leavesTransitional = system.checks.leavesTransitional === true;
  const daemon = system.processes.map((p) => isDaemon(p.operation));
  const recorded = recordGraph(system, { ...options, now, termination, leavesTransitional, daemon: (p) => daemon[p] });
  const stats = (states: number, transitions: number, depth: number, bytes: number): CheckStats => {
    const elapsedMs = Math.round(Math.max(0, now() - started) * 10) / 10;
    return {
      distinctStates: states,
      transitions,
      depth,
      queue: 0,
      elapsedMs,
      statesPerSecond: elapsedMs > 0 ? Math.round((states / elapsedMs) * 1000) : 0,
      bytes,
      bytesPerState: states > 0 ? Math.round((bytes / states) * 10) / 10 : 0,
    };
  };
  if (recorded.kind === 'incomplete') {
    return { system, verdict: 'incomplete', violation: null, incompleteReason: recorded.reason, path: null, stats: stats(recorded.states, recorded.transitions, recorded.depth, recorded.bytes) };
  }
  if (recorded.kind === 'violation') {
    throw new Error(`liveness search met a safety violation the safety search did not report: ${recorded.violation.message}`);
  }
  const graph = recorded.graph;
  const bytes = graph.bytes + SCC_BYTES_PER_STATE * graph.states;
  const finalStats = () => stats(graph.states, recorded.transitions, recorded.depth, bytes);

  // Bad fair components, keeping those whose nearest state is least deep.
  const depthOf = (v: number) => {
    let lo = 0;
    let hi = graph.levelStart.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (graph.levelStart[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  let candidates: Candidate[] = [];
  const consider = (members: Int32Array, id: number, component: Int32Array, kind: Candidate['kind'], subject: number) => {
    if (!isFairComponent(graph, members, id, component)) return;
    let start = members[0];
    for (let m = 1; m < members.length; m++) if (members[m] < start) start = members[m];
    const depth = depthOf(start);
    if (candidates.length > 0 && depth > candidates[0].depth) return;
    if (candidates.length > 0 && depth < candidates[0].depth) candidates = [];
    if (candidates.length < 8) candidates.push({ start, depth, members: members.slice(), kind, subject });
  };
  if (termination) {
    const RW = graph.runningWords;
    forEachCyclicComponent(graph, null, (members, id, component) => {
      // A process's status only moves forward (dormant → running → ended), so it is the same in every state of a component.
      const v = members[0];
      for (let p = 0; p < system.processes.length; p++) {
        if (bit(graph.running, v * RW, p)) return consider(members, id, component, 'non-termination', p);
      }
    });
  }
  if (leavesTransitional) {
    const TW = graph.transitionalWords;
    system.instances.forEach((_inst, i) => {
      forEachCyclicComponent(graph, (v) => bit(graph.transitional, v * TW, i), (members, id, component) => consider(members, id, component, 'stays-transitional', i));
    });
  }
  if (options.signal?.aborted) return { system, verdict: 'incomplete', violation: null, incompleteReason: 'stopped', path: null, stats: finalStats() };
  if (candidates.length === 0) return { system, verdict: 'pass', violation: null, path: null, stats: finalStats() };

  // Least cycle among the candidates at the least depth.
  // Every state of a candidate at that depth may start the loop: the least cycle over them (a few at most).
  let best: { candidate: Candidate; start: number; edges: number[]; least: boolean } | null = null;
  let tried = 0;
  for (const candidate of candidates) {
    const starts = [...candidate.members].filter((v) => depthOf(v) === candidate.depth).sort((a, b) => a - b);
    for (const start of starts) {
      if (tried++ >= MAX_LOOP_STARTS) break;
      const cycle = leastFairCycle(graph, candidate.members, start);
      if (cycle && (!best || cycle.edges.length < best.edges.length)) best = { candidate, start, edges: cycle.edges, least: cycle.least };
    }
  }
  if (!best) throw new Error('a fair component without a fair cycle');
  const prefix: number[] = [];
  for (let v = best.start; v !== 0; v = graph.parent[v]) prefix.push(graph.ordinal[v]);
  prefix.reverse();
  const cycleOrdinals = best.edges.map((e) => e - graph.firstEdge[sourceOf(graph, e)]);
  const path = [...prefix, ...cycleOrdinals];
  const violation = describeLasso(system, graph, best.candidate, prefix.length, best.edges, path, best.least);
  const out = finalStats();
  out.depth = Math.max(out.depth, path.length);
  return { system, verdict: 'violation', violation, path, cycleStart: prefix.length, stats: out };
}

/** The violation's words: who never ends or what stays transitional, and who starves (weak fairness allows a blocked process to). */
function describeLasso(
  system: System,
  graph: RecordedGraph,
  candidate: Candidate,
  cycleStart: number,
  edges: number[],
  path: number[],
  least: boolean,
): Violation {
  // The states along the cycle, replayed (the graph keeps no states).
  const semantics = new Semantics(system);
  const moves = new Int32Array(Math.max(1, semantics.maxMoves));
  let state = semantics.initial().state;
  const cycleStates: Int32Array[] = [];
  for (let i = 0; i < path.length; i++) {
    if (i >= cycleStart) cycleStates.push(state);
    semantics.listMoves(state, moves, false);
    const next = new Int32Array(system.size);
    semantics.apply(state, moves[path[i]], next);
    state = next;
  }
  const W = graph.words;
  const cycleIndices = edges.map((e) => sourceOf(graph, e));
  const acts = (p: number) => edges.some((e) => graph.actor[e] === p);
  const blockedAt = (p: number) => cycleIndices.findIndex((v) => !bit(graph.enabled, v * W, p));
  // Running processes that never take a step on the cycle: fairness lets them starve only because they are blocked somewhere on it.
  const starving = system.processes.filter((p) => cycleStates[0][p.statusSlot] === RUNNING && !acts(p.index));
  const waitsAt = (p: number) => {
    const proc = system.processes[p];
    const at = blockedAt(p);
    const s = cycleStates[Math.max(0, at)];
    return where(proc.program[s[proc.pcSlot]].step);
  };
  const steps = `steps ${cycleStart + 1}..${path.length} repeat for ever`;
  const notLeast = least ? '' : ` (a fair loop, not necessarily the least: the least-loop search stops at ${MAX_CYCLE_PAIRS} state × obligation pairs)`;
  const starveNote = (names: typeof starving) =>
    names.length === 0
      ? ''
      : `; ${names.map((p) => `${p.name} waits at ${waitsAt(p.index)}`).join(', ')} and is blocked at some point of every round, so weak fairness does not make ${names.length === 1 ? 'it' : 'them'} run`;
  if (candidate.kind === 'non-termination') {
    // Name a starving process when there is one: that is the surprising case.
    const starved = starving.find((p) => !isDaemon(p.operation));
    const proc = starved ?? system.processes[candidate.subject];
    const blockedThroughout = starved !== undefined && cycleIndices.every((v) => !bit(graph.enabled, v * W, starved.index));
    const how = starved
      ? blockedThroughout
        ? `it waits at ${waitsAt(proc.index)} and stays blocked while a loop runs (${steps}): nothing it waits for ever happens`
        : `it waits at ${waitsAt(proc.index)} and is blocked at some point of every round of a loop (${steps}), so weak fairness does not make it run — a blocking wait can starve`
      : `it keeps taking steps without finishing (${steps}) under weak fairness${starveNote(starving)}`;
    return { kind: 'non-termination', name: proc.name, process: proc.name, message: `${proc.name} never ends: ${how}${notLeast}`, cycleStart };
  }
  const inst = system.instances[candidate.subject];
  const seen = [...new Set(cycleStates.map((s) => inst.resource.states[s[inst.base]]))];
  const states = seen.length === 1 ? `transitional state '${seen[0]}'` : `transitional states ${seen.map((x) => `'${x}'`).join(', ')}`;
  return {
    kind: 'stays-transitional',
    name: inst.name,
    ...(starving[0] ? { process: starving[0].name } : {}),
    message: `${inst.name} stays in ${states} for ever: ${steps} under weak fairness${starveNote(starving)}${notLeast}`,
    cycleStart,
  };
}

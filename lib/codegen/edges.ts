/**
 * A resource's transitions indexed once, so every generator reads them in
 * time linear in the model (a 6,000-state resource used to cost seconds of
 * `states × states` scans per file).
 *
 * Semantics match the catalog exactly: `to` follows `from` when
 * `edges.has(`${from}->${to}`)`, listed in state order; an edge's name is the
 * `name` of the first document transition with that `from` and `to`.
 */
import type { ResourceInfo } from '../model/catalog';
import type { ModelDocument } from '../model/schema';

type DocResource = ModelDocument['resources'][number];

export interface EdgeIndex {
  /** For each state (by index): the states it may move to, in state order. */
  outgoing: string[][];
  /** The states some state may move to, in state order. */
  targets: string[];
  /** The name the model gives the move `from` → `to`, if any. */
  name(from: string, to: string): string | undefined;
}

const SEP = '->';

export function edgeIndex(r: ResourceInfo, doc: DocResource | undefined): EdgeIndex {
  const positions = new Map<string, number[]>();
  r.states.forEach((s, i) => {
    const at = positions.get(s);
    if (at) at.push(i);
    else positions.set(s, [i]);
  });
  // Target positions by source name. An edge key is split at every `->` so that even a
  // name containing `->` pairs exactly as `edges.has(`${from}->${to}`)` would.
  const targetsOf = new Map<string, Set<number>>();
  for (const edge of r.edges) {
    for (let cut = edge.indexOf(SEP); cut >= 0; cut = edge.indexOf(SEP, cut + 1)) {
      const from = edge.slice(0, cut);
      const to = positions.get(edge.slice(cut + SEP.length));
      if (!to || !positions.has(from)) continue;
      let set = targetsOf.get(from);
      if (!set) targetsOf.set(from, (set = new Set()));
      for (const j of to) set.add(j);
    }
  }
  const sorted = new Map<string, string[]>();
  for (const [from, set] of targetsOf) sorted.set(from, [...set].sort((a, b) => a - b).map((j) => r.states[j]!));
  const outgoing = r.states.map((s) => sorted.get(s) ?? []);
  const reached = new Set<number>();
  for (const set of targetsOf.values()) for (const j of set) reached.add(j);
  const targets = [...reached].sort((a, b) => a - b).map((j) => r.states[j]!);

  const first = new Map<string, Map<string, string | undefined>>();
  for (const t of doc?.transitions ?? []) {
    let byTo = first.get(t.from);
    if (!byTo) first.set(t.from, (byTo = new Map()));
    if (!byTo.has(t.to)) byTo.set(t.to, t.name);
  }
  return { outgoing, targets, name: (from, to) => first.get(from)?.get(to) };
}

/** The document resource of each name (the first of that name), built once instead of a `find` per resource. */
export function documentResources(resources: readonly DocResource[]): Map<string, DocResource> {
  const byName = new Map<string, DocResource>();
  for (const d of resources) if (!byName.has(d.name)) byName.set(d.name, d);
  return byName;
}

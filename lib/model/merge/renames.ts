/**
 * Renames of items that other parts of a model refer to by name (resources,
 * their states, operations, locks), as they stand in the merged document.
 * One side's additions may still use an old name the other side renamed; the
 * caller rewrites those references before validating.
 */
import type { ModelDocument } from '../schema';
import { isRecord } from './equal';
import { matchByName } from './match';
import type { MergeRename } from './types';

type Named = { name: string };

const names = (list: unknown): Set<string> => new Set(namedItems(list).map((item) => item.name));

/** Pairs of (base name, side name) that the merge's matching reads as one item renamed. */
function renamed(base: unknown, side: unknown): Array<[from: Named, to: Named]> {
  const b = namedItems(base);
  const s = namedItems(side);
  const m = matchByName(b, s);
  return b.flatMap((item, i) => {
    const j = m.sideOf[i];
    return j !== undefined && s[j].name !== item.name ? [[item, s[j]] as [Named, Named]] : [];
  });
}

/** A key of a document that may not be an object mid-edit. */
const get = (doc: unknown, key: string): unknown => (isRecord(doc) ? doc[key] : undefined);

/** The named items of a list; a draft may hold anything mid-edit. */
const namedItems = (list: unknown): Named[] =>
  Array.isArray(list) ? list.filter((item): item is Named => isRecord(item) && typeof item.name === 'string') : [];

export function renamesIn(base: ModelDocument, sides: readonly ModelDocument[], merged: ModelDocument): MergeRename[] {
  const out: MergeRename[] = [];
  const seen = new Set<string>();
  const add = (rename: MergeRename) => {
    const key = JSON.stringify(rename);
    if (!seen.has(key)) out.push(rename);
    seen.add(key);
  };
  // Only renames the merge kept: the new name is in the merged list and the old one is gone.
  const kept = (list: unknown, from: string, to: string) => {
    const present = names(list);
    return present.has(to) && !present.has(from);
  };
  const mergedResource = new Map<string, string>();
  for (const side of sides) {
    for (const [from, to] of renamed(get(base, 'resources'), get(side, 'resources'))) {
      if (kept(get(merged, 'resources'), from.name, to.name)) {
        add({ kind: 'resource', from: from.name, to: to.name });
        mergedResource.set(from.name, to.name);
      }
    }
  }
  for (const side of sides) {
    for (const [from, to] of renamed(get(base, 'operations'), get(side, 'operations')))
      if (kept(get(merged, 'operations'), from.name, to.name)) add({ kind: 'operation', from: from.name, to: to.name });
    for (const [from, to] of renamed(get(base, 'locks'), get(side, 'locks')))
      if (kept(get(merged, 'locks'), from.name, to.name)) add({ kind: 'lock', from: from.name, to: to.name });
    for (const resource of namedItems(get(base, 'resources')) as Array<Named & { states?: unknown }>) {
      const resourceName = mergedResource.get(resource.name) ?? resource.name;
      const sideResource = (namedItems(get(side, 'resources')) as typeof resource[]).find((r) => r.name === resource.name || r.name === resourceName);
      const mergedStates = (namedItems(get(merged, 'resources')) as typeof resource[]).find((r) => r.name === resourceName)?.states;
      for (const [from, to] of renamed(resource.states, sideResource?.states))
        if (kept(mergedStates, from.name, to.name)) add({ kind: 'state', resource: resourceName, from: from.name, to: to.name });
    }
  }
  return out;
}

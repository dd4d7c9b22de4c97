/**
 * Pairs the items of a base list with those of one side (head or draft).
 * Named items pair by name, then leftover ones pair as renames when they are
 * still alike. Unnamed items (steps, transitions) are aligned by jsondiffpatch
 * (LCS over exact content, with moves), then the items left over between two
 * aligned neighbours pair up as edits when they are alike or sit at the same
 * offset.
 */
import { create } from 'jsondiffpatch';
import { fingerprint, isRecord, similarity, type Json } from './equal';

/** `sideOf[i]`: index in the side of base item i (undefined = gone); `baseOf[j]` the reverse. */
export interface Matching {
  sideOf: Array<number | undefined>;
  baseOf: Array<number | undefined>;
}

/** Keys are strings, compared by value; moves are detected. */
const differ = create({ arrays: { detectMove: true } });
const ARRAY_MOVE = 3;

const nameOf = (item: Json): string | undefined => (isRecord(item) && typeof item.name === 'string' ? item.name : undefined);
const labelOf = (item: Json): string | undefined => (isRecord(item) && typeof item.label === 'string' ? item.label : undefined);
const kindOf = (item: Json): unknown => (isRecord(item) ? item.kind : undefined);

function pair(m: Matching, i: number, j: number): void {
  m.sideOf[i] = j;
  m.baseOf[j] = i;
}

/**
 * Pairs leftover base items with leftover side items, best first. `score`
 * says how likely a pair is one item edited (rather than one removed and
 * another added), or null when they must stay apart.
 */
function pairLeftovers(
  m: Matching,
  left: number[],
  right: number[],
  score: (i: number, j: number, sameOffset: boolean) => number | null,
): void {
  const candidates: Array<{ i: number; j: number; score: number }> = [];
  left.forEach((i, a) =>
    right.forEach((j, b) => {
      const s = score(i, j, a === b);
      if (s !== null) candidates.push({ i, j, score: s - Math.abs(a - b) * 0.001 });
    }),
  );
  candidates.sort((x, y) => y.score - x.score || x.i - y.i);
  for (const { i, j } of candidates) if (m.sideOf[i] === undefined && m.baseOf[j] === undefined) pair(m, i, j);
}

/** Reads jsondiffpatch's array delta (over item keys) back into a pairing of base and side indexes; `moved` are base items that changed place. */
function alignKeys(base: readonly string[], side: readonly string[]): { m: Matching; moved: Set<number> } {
  const m: Matching = { sideOf: new Array(base.length).fill(undefined), baseOf: new Array(side.length).fill(undefined) };
  const moved = new Set<number>();
  const delta = differ.diff(base as string[], side as string[]) as Record<string, unknown> | undefined;
  if (!delta) {
    base.forEach((_, i) => pair(m, i, i));
    return { m, moved };
  }
  const gone = new Set<number>();
  const taken = new Set<number>();
  for (const [key, value] of Object.entries(delta)) {
    if (key === '_t' || !Array.isArray(value)) continue;
    if (key.startsWith('_')) {
      const i = Number(key.slice(1));
      gone.add(i);
      if (value[2] === ARRAY_MOVE) {
        pair(m, i, value[1] as number);
        taken.add(value[1] as number);
        moved.add(i);
      }
    } else if (value.length === 1) taken.add(Number(key)); // an added item
  }
  // Patch order: removed and moved items leave, the rest keep their order and fill the free slots.
  let j = 0;
  for (let i = 0; i < base.length; i++) {
    if (gone.has(i)) continue;
    while (taken.has(j)) j++;
    pair(m, i, j++);
  }
  return { m, moved };
}

/**
 * Aligns by keys, then pairs what was removed and added between the same two
 * in-place neighbours (a gap) when `score` says they are one item edited.
 */
function align(
  base: readonly string[],
  side: readonly string[],
  score: (i: number, j: number, sameOffset: boolean) => number | null,
  anywhere: (i: number, j: number) => boolean,
): Matching {
  const { m, moved } = alignKeys(base, side);
  let gapLeft: number[] = [];
  let gapRight: number[] = [];
  let j = 0;
  for (let i = 0; i <= base.length; i++) {
    const anchor = i < base.length && m.sideOf[i] !== undefined && !moved.has(i) ? m.sideOf[i]! : undefined;
    if (i < base.length && anchor === undefined) {
      if (m.sideOf[i] === undefined) gapLeft.push(i);
      continue;
    }
    const end = anchor ?? side.length;
    for (; j < end; j++) if (m.baseOf[j] === undefined) gapRight.push(j);
    if (gapLeft.length && gapRight.length) pairLeftovers(m, gapLeft, gapRight, score);
    gapLeft = [];
    gapRight = [];
    j = end + 1;
  }
  // Still unpaired: an item that moved and changed, paired only when it is plainly the same item.
  const left = base.flatMap((_, i) => (m.sideOf[i] === undefined ? [i] : []));
  const right = side.flatMap((_, k) => (m.baseOf[k] === undefined ? [k] : []));
  if (left.length && right.length) pairLeftovers(m, left, right, (i, k) => (anywhere(i, k) ? 1 : null));
  return m;
}

/**
 * Named items: same name, same item (wherever it moved). A name that went
 * away and one that appeared between the same neighbours are a rename when
 * at least 30% of the rest is unchanged; anywhere else in the list, 80%.
 */
export function matchByName(base: readonly Json[], side: readonly Json[]): Matching {
  const key = (item: Json) => nameOf(item) ?? `#${fingerprint(item)}`;
  const alike = (i: number, j: number) => similarity(base[i], side[j], ['name']);
  return align(
    base.map(key),
    side.map(key),
    // Between the same neighbours, 30% of the content unchanged will do (the most alike pair first); elsewhere, 80%.
    (i, j, sameOffset) => {
      const sim = alike(i, j);
      return sim >= 0.3 ? sim + (sameOffset ? 0.01 : 0) : null;
    },
    (i, j) => alike(i, j) >= 0.8,
  );
}

/**
 * Unnamed items (steps, transitions): identical content aligns; between two
 * aligned neighbours, a removed and an added item are one item edited when
 * they are alike, or sit at the same offset with the same step kind (and no
 * two different labels). An item that moved and changed pairs when it kept
 * its label, or its kind and most of its content.
 */
export function matchByPosition(base: readonly Json[], side: readonly Json[]): Matching {
  return align(
    base.map(fingerprint),
    side.map(fingerprint),
    (i, j, sameOffset) => {
      const sameKind = kindOf(base[i]) === kindOf(side[j]);
      // A step's label is its author-given name: two different labels are two different steps.
      const a = labelOf(base[i]);
      const b = labelOf(side[j]);
      if (a !== undefined && b !== undefined && a !== b) return null;
      const sim = similarity(base[i], side[j]);
      if (sim + (sameOffset ? 0.5 : 0) + (sameKind ? 0.25 : -0.5) < 0.75) return null;
      return sim + (sameOffset ? 0.1 : 0) + (sameKind ? 0.05 : 0);
    },
    (i, j) => {
      const label = labelOf(base[i]);
      if (label !== undefined && label === labelOf(side[j])) return true;
      return kindOf(base[i]) === kindOf(side[j]) && similarity(base[i], side[j]) >= 0.8;
    },
  );
}

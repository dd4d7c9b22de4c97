/**
 * The three-way merge engine, driven by the document's shape (shape.ts): a
 * value changed on one side only takes that side; changed on both sides the
 * same way, that change; changed differently, records merge key by key and
 * lists item by item, and anything else is a conflict (head's side is kept
 * unless a resolution for that conflict's id says otherwise).
 */
import { formatPath } from '../issues';
import { blockKeysOf, unreachable, type BlockKey, type StepKind } from '../walk';
import { isRecord, jsonEqual, type Json } from './equal';
import { matchByName, matchByPosition, type Matching } from './match';
import { atom, stepFieldShape, type Shape } from './shape';
import type { MergeConflict, Resolution } from './types';

interface Ctx {
  /** Path in the merged document. */
  path: Array<string | number>;
  /** Stable id parts: names of named items, base indexes of unnamed ones, keys. */
  id: string[];
  /** Labels of the enclosing items, e.g. ['operation delete', 'step 3 (require)']. */
  where: string[];
  /** Keys below the innermost item, e.g. ['faults', 'crash']. */
  field: string[];
  /** The key the current list sits under (for step labels: then/else/onFail). */
  block?: string;
  /** Inside layout: both-sides changes keep head's without a conflict. */
  silent: boolean;
}

type Side = 'head' | 'draft';
/** How a merged list item is made: taken whole, or merged from its three versions. */
type Fate = { kind: 'take'; value: Json; from?: Side } | { kind: 'merge'; base: Json; head: Json; draft: Json };
/** A base item one side removed while the other edited it. */
type Removal = { i: number; id: string; head: Json; draft: Json };
type ListShape = Extract<Shape, { kind: 'list' }>;

const whereText = (ctx: Ctx, suffix?: string): string => {
  const field = [...ctx.field, ...(suffix ? [suffix] : [])].join('.');
  const items = ctx.where.length ? ctx.where.join(', ') : 'model';
  return field ? `${items}: ${field}` : items;
};

/** Block keys of a step kind, or none for a kind this version does not know (the caller's validation reports it). */
function safeBlockKeys(kind: unknown): BlockKey[] {
  try {
    return blockKeysOf(kind as StepKind);
  } catch {
    return [];
  }
}

const nameOf = (item: Json): string | undefined => (isRecord(item) && typeof item.name === 'string' ? item.name : undefined);

export class ThreeWayMerge {
  readonly conflicts: MergeConflict[] = [];

  constructor(private readonly resolutions: Record<string, Resolution> = {}) {}

  merge(shape: Shape, base: Json, head: Json, draft: Json): Json {
    return this.value(shape, base, head, draft, { path: [], id: [], where: [], field: [], silent: false });
  }

  /** The resolution for a conflict id (own keys only: ids come from documents, resolutions from requests). */
  private resolution(id: string): Resolution | undefined {
    return Object.hasOwn(this.resolutions, id) ? this.resolutions[id] : undefined;
  }

  /** A resolved value for the conflict `id`, or head's side with the conflict recorded. */
  private conflict(ctx: Ctx, id: string, base: Json, head: Json, draft: Json, where = whereText(ctx)): Json {
    if (ctx.silent) return head;
    const resolution = this.resolution(id);
    if (resolution) return 'pick' in resolution ? { base, head, draft }[resolution.pick] : resolution.value;
    this.conflicts.push({ id, where, path: formatPath(ctx.path), base, head, draft });
    return head;
  }

  private value(shape: Shape, base: Json, head: Json, draft: Json, ctx: Ctx): Json {
    if (jsonEqual(head, draft)) return head;
    if (jsonEqual(base, head)) return draft;
    if (jsonEqual(base, draft)) return head;
    const clash = () => this.conflict(ctx, ctx.id.join('/'), base, head, draft);
    if (head === undefined || draft === undefined) return clash();
    switch (shape.kind) {
      case 'atom':
        return clash();
      case 'record':
        if (!isRecord(head) || !isRecord(draft) || (base !== undefined && !isRecord(base))) return clash();
        return this.record(
          (key) => (Object.hasOwn(shape.fields, key) ? shape.fields[key] : (shape.rest ?? atom)),
          base,
          head,
          draft,
          shape.silent ? { ...ctx, silent: true } : ctx,
        );
      case 'list':
        if (!Array.isArray(head) || !Array.isArray(draft) || (base !== undefined && !Array.isArray(base))) return clash();
        return this.list(shape, (base as Json[] | undefined) ?? [], head, draft, ctx);
      case 'step': {
        // A step whose kind changed is another step: merging its keys with the old kind's would mix two steps.
        if (!isRecord(head) || !isRecord(draft) || head.kind !== draft.kind) return clash();
        if (base !== undefined && (!isRecord(base) || base.kind !== head.kind)) return clash();
        const blocks = safeBlockKeys(head.kind);
        return this.record((key) => stepFieldShape(key, blocks), base, head, draft, ctx);
      }
      default:
        return unreachable(shape, 'merge shape');
    }
  }

  private record(shapeOf: (key: string) => Shape, base: Json, head: Record<string, Json>, draft: Record<string, Json>, ctx: Ctx): Json {
    const b = isRecord(base) ? base : {};
    const keys = [...new Set([...Object.keys(head), ...Object.keys(draft)])];
    const out: Record<string, Json> = {};
    for (const key of keys) {
      const child: Ctx = { ...ctx, path: [...ctx.path, key], id: [...ctx.id, key], field: [...ctx.field, key], block: key };
      const merged = this.value(shapeOf(key), b[key], head[key], draft[key], child);
      // defineProperty: a `__proto__` key from a document stays a plain key.
      if (merged !== undefined) Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /**
   * A list, item by item. Items get keys: `b3` (base item 3), `h1` (head's
   * new item 1), `d0` (draft's new item 0); `fates` says which stay and how
   * their value is made, `order` where they go.
   */
  private list(shape: ListShape, base: Json[], head: Json[], draft: Json[], ctx: Ctx): Json[] {
    const match = shape.identity === 'name' ? matchByName : matchByPosition;
    const m: Record<Side, Matching> = { head: match(base, head), draft: match(base, draft) };
    const itemId = (item: Json, fallback: string) => (shape.identity === 'name' ? (nameOf(item) ?? fallback) : fallback);
    const blockKey = ctx.block as BlockKey | undefined;

    const fates = new Map<string, Fate>();
    const removals: Removal[] = [];
    base.forEach((item, i) => {
      const fate = this.baseItemFate(item, m.head.sideOf[i], m.draft.sideOf[i], head, draft, [...ctx.id, itemId(item, String(i))].join('/'), ctx);
      if (fate.removal) removals.push({ ...fate.removal, i });
      if (fate.fate) fates.set(`b${i}`, fate.fate);
    });

    // Added items all land; named ones added on both sides under one name are one item, merged field by field.
    const headNewByName = new Map<string, number>();
    head.forEach((item, j) => {
      if (m.head.baseOf[j] !== undefined) return;
      fates.set(`h${j}`, { kind: 'take', value: item });
      const name = shape.identity === 'name' ? nameOf(item) : undefined;
      if (name !== undefined && !headNewByName.has(name)) headNewByName.set(name, j);
    });
    const alias = new Map<string, string>();
    draft.forEach((item, k) => {
      if (m.draft.baseOf[k] !== undefined) return;
      const twin = shape.identity === 'name' ? headNewByName.get(nameOf(item) ?? '') : undefined;
      if (twin === undefined) {
        fates.set(`d${k}`, { kind: 'take', value: item });
        return;
      }
      headNewByName.delete(nameOf(item)!);
      alias.set(`d${k}`, `h${twin}`);
      fates.set(`h${twin}`, { kind: 'merge', base: undefined, head: head[twin], draft: item });
    });

    const sequence = (side: Side, letter: string) =>
      (side === 'head' ? head : draft).map((_, j) => {
        const i = m[side].baseOf[j];
        const key = i !== undefined ? `b${i}` : `${letter}${j}`;
        return alias.get(key) ?? key;
      });
    const content = (key: string): Json => (key[0] === 'h' ? head : key[0] === 'd' ? draft : base)[Number(key.slice(1))];
    const order = this.order(shape, base, sequence('head', 'h'), sequence('draft', 'd'), fates, content, ctx);

    const out: Json[] = [];
    /** Which side each merged item's name comes from, to tell a name clash from head's own duplicates. */
    const origin: Side[] = [];
    for (const key of order) {
      const index = out.length;
      const fate = fates.get(key)!;
      if (fate.kind === 'take') out.push(fate.value);
      else {
        const id = key[0] === 'b' ? itemId(base[Number(key.slice(1))], key.slice(1)) : itemId(fate.head, key);
        const child: Ctx = {
          path: [...ctx.path, index],
          id: [...ctx.id, id],
          where: [...ctx.where, shape.noun(fate.head, index, blockKey)],
          field: [],
          silent: ctx.silent,
        };
        out.push(this.value(shape.item, fate.base, fate.head, fate.draft, child));
      }
      origin.push(fate.kind === 'take' ? (fate.from ?? (key[0] === 'd' ? 'draft' : 'head')) : nameOf(out[index]) === nameOf(fate.head) ? 'head' : 'draft');
    }
    if (shape.identity === 'name' && !ctx.silent) this.nameClashes(shape, out, origin, ctx);

    // Removed on one side, edited on the other (and not resolved): named by base position, as head's merged list lacks it.
    for (const { i, id, head: h, draft: d } of removals) {
      const place: Ctx = { ...ctx, path: [...ctx.path, i], where: [...ctx.where, shape.noun(base[i], i, blockKey)], field: [] };
      this.conflicts.push({ id, where: whereText(place), path: formatPath(place.path), base: base[i], head: h, draft: d });
    }
    return out;
  }

  /**
   * What becomes of a base item: kept by both sides → merged; removed by both
   * → gone; removed by one side and unchanged on the other → gone; removed by
   * one and edited by the other → a conflict (head's side until resolved).
   */
  private baseItemFate(
    item: Json,
    h: number | undefined,
    d: number | undefined,
    head: Json[],
    draft: Json[],
    id: string,
    ctx: Ctx,
  ): { fate?: Fate; removal?: Omit<Removal, 'i'> } {
    if (h !== undefined && d !== undefined) return { fate: { kind: 'merge', base: item, head: head[h], draft: draft[d] } };
    if (h === undefined && d === undefined) return {};
    const survivor = h !== undefined ? head[h] : draft[d!];
    if (jsonEqual(survivor, item)) return {};
    const sides = { base: item, head: h !== undefined ? survivor : undefined, draft: d !== undefined ? survivor : undefined };
    const from: Side = h !== undefined ? 'head' : 'draft';
    const resolution = ctx.silent ? undefined : this.resolution(id);
    if (!resolution) {
      return { fate: h !== undefined ? { kind: 'take', value: survivor, from } : undefined, removal: ctx.silent ? undefined : { id, head: sides.head, draft: sides.draft } };
    }
    const value = 'pick' in resolution ? sides[resolution.pick] : resolution.value;
    return value === undefined ? {} : { fate: { kind: 'take', value, from } };
  }

  /**
   * One name given to two different items, one from each side (a rename on
   * one side, a rename or an addition on the other): a conflict, settled by
   * keeping one of them or a value in their place (both stay until then).
   */
  private nameClashes(shape: ListShape, out: Json[], origin: Side[], ctx: Ctx): void {
    const drop = new Set<number>();
    const seen = new Map<string, number>();
    out.forEach((item, index) => {
      const name = nameOf(item);
      if (name === undefined) return;
      const first = seen.get(name);
      if (first === undefined || origin[first] === origin[index]) {
        if (first === undefined) seen.set(name, index);
        return;
      }
      const [h, d] = origin[first] === 'head' ? [first, index] : [index, first];
      const place: Ctx = { ...ctx, path: [...ctx.path, h], where: [...ctx.where, shape.noun(out[h], h)], field: [] };
      const id = `${[...ctx.id, name].join('/')}@name-clash`;
      if (!this.resolution(id)) {
        // Both stay until resolved, so the paths of the conflicts after them still hold.
        this.conflict(place, id, undefined, out[h], out[d], `${whereText(place)}: the name is given to two different items`);
        return;
      }
      const picked = this.conflict(place, id, undefined, out[h], out[d]);
      if (picked === undefined) drop.add(h);
      else out[h] = picked;
      drop.add(d);
    });
    if (drop.size === 0) return;
    const kept = out.filter((_, index) => !drop.has(index));
    out.length = 0;
    out.push(...kept);
  }

  /**
   * The merged order: the side that reordered the common items leads (head if
   * neither or both agree), the other side's items go in after their nearest
   * preceding neighbour, head's additions before draft's. Both sides
   * reordering differently is a conflict.
   */
  private order(
    shape: ListShape,
    base: Json[],
    headSeq: string[],
    draftSeq: string[],
    fates: Map<string, Fate>,
    content: (key: string) => Json,
    ctx: Ctx,
  ): string[] {
    const inHead = new Set(headSeq);
    const inDraft = new Set(draftSeq);
    const common = (s: string[]) => s.filter((key) => key[0] === 'b' && inHead.has(key) && inDraft.has(key));
    const baseOrder = common(base.map((_, i) => `b${i}`));
    const headOrder = common(headSeq);
    const draftOrder = common(draftSeq);
    const headMoved = !jsonEqual(headOrder, baseOrder);
    const draftMoved = !jsonEqual(draftOrder, baseOrder);
    let lead: Side = !headMoved && draftMoved ? 'draft' : 'head';
    if (headMoved && draftMoved && !jsonEqual(headOrder, draftOrder)) {
      const names = (keys: string[]) => keys.map((key) => shape.noun(base[Number(key.slice(1))], Number(key.slice(1))));
      const picked = this.conflict(
        { ...ctx, field: [...ctx.field] },
        [...ctx.id, 'order'].join('/'),
        names(baseOrder),
        names(headOrder),
        names(draftOrder),
        whereText({ ...ctx, field: [] }, `order of ${ctx.field.join('.') || 'items'}`),
      );
      if (jsonEqual(picked, names(draftOrder))) lead = 'draft';
    }
    const [leadSeq, otherSeq] = lead === 'head' ? [headSeq, draftSeq] : [draftSeq, headSeq];
    const result = leadSeq.filter((key) => fates.has(key));
    const placed = new Set(result);
    const twinned = new Set<string>();
    for (let s = 0; s < otherSeq.length; s++) {
      const key = otherSeq[s];
      if (placed.has(key) || !fates.has(key)) continue;
      let at = 0;
      for (let p = s - 1; p >= 0; p--) {
        const anchor = result.indexOf(otherSeq[p]);
        if (anchor >= 0 && placed.has(otherSeq[p])) {
          at = anchor + 1;
          break;
        }
      }
      // Head's additions at this spot come first; the same item added by both sides at one spot lands once.
      const other = key[0] === 'd' ? 'h' : 'd';
      let end = at;
      while (end < result.length && result[end][0] === other) end++;
      const twin = key[0] === 'b' ? undefined : result.slice(at, end).find((k) => !twinned.has(k) && jsonEqual(content(k), content(key)));
      placed.add(key);
      if (twin !== undefined) {
        twinned.add(twin);
        continue;
      }
      result.splice(key[0] === 'd' ? end : at, 0, key);
    }
    return result;
  }
}

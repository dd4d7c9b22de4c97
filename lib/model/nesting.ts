/**
 * Shape limits checked on the raw document before the schema runs, iteratively
 * and stopping at the first breach, so that what runs after is bounded:
 * - depth: the schema (zod) and every later pass walk steps and values
 *   recursively, so a document nested thousands of levels deep must be refused
 *   here with an issue that names where, not "Maximum call stack size exceeded";
 * - size: zod cannot stop after N issues, and each rejected value costs it a
 *   few microseconds, so lists, objects and the whole document are capped;
 * - `__proto__` keys: zod (rightly) drops them from records, so an argument,
 *   field or lock override keyed `__proto__` would vanish without a word.
 */
import { formatPath, type ModelIssue } from './issues';
import { MAX_DOCUMENT_VALUES, MAX_DOCUMENT_WEIGHT, MAX_JSON_DEPTH, MAX_LIST_ITEMS, MAX_STEP_DEPTH } from './limits';
import { BLOCK_KEYS } from './walk';

interface Visit {
  value: unknown;
  depth: number;
  key: string | number;
  parent: Visit | null;
}

function pathOf(visit: Visit): string {
  const parts: Array<string | number> = [];
  for (let v: Visit | null = visit; v && v.parent; v = v.parent) parts.push(v.key);
  return formatPath(parts.reverse());
}

const tooManyValues = (visit: Visit): ModelIssue => ({
  path: pathOf(visit),
  message: `the document holds more than ${MAX_DOCUMENT_VALUES} values (objects, lists, strings, numbers); validation stopped here`,
  code: 'LS104',
});
const tooHeavy = (visit: Visit): ModelIssue => ({
  path: pathOf(visit),
  message: 'the document holds too many values this deeply nested to validate; validation stopped here',
  code: 'LS104',
});

/** The first place (if any) where the JSON value nests too deeply, holds too much, or uses a `__proto__` key. */
function jsonShapeIssue(input: unknown): ModelIssue | null {
  const stack: Visit[] = [{ value: input, depth: 0, key: '', parent: null }];
  let values = 1;
  // The weight is checked once the walk is over (the value limit bounds it): depth and size name the better place.
  let weight = 0;
  let heavy: Visit | null = null;
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { value, depth } = top;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      return { path: pathOf(top), message: `the document nests deeper than ${MAX_JSON_DEPTH} levels here`, code: 'LS102' };
    }
    // Only containers can nest: scalars are counted, but skipped without a visit of their own.
    if (Array.isArray(value)) {
      // Checked before the items are looked at: a list of 200,000 items costs nothing to refuse.
      if (value.length > MAX_LIST_ITEMS) {
        return { path: pathOf(top), message: `a list of ${value.length} items; at most ${MAX_LIST_ITEMS} are allowed`, code: 'LS104' };
      }
      if ((values += value.length) > MAX_DOCUMENT_VALUES) return tooManyValues(top);
      if ((weight += value.length * (depth + 1) ** 2) > MAX_DOCUMENT_WEIGHT) heavy ??= top;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: depth + 1, key: i, parent: top });
      }
    } else {
      let keys = 0;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        if (++keys > MAX_LIST_ITEMS) return { path: pathOf(top), message: `an object with more than ${MAX_LIST_ITEMS} keys`, code: 'LS104' };
        if (++values > MAX_DOCUMENT_VALUES) return tooManyValues(top);
        if ((weight += (depth + 1) ** 2) > MAX_DOCUMENT_WEIGHT) heavy ??= top;
        if (key === '__proto__') {
          return {
            path: pathOf({ value: null, depth, key, parent: top }),
            message: "'__proto__' cannot be used as a key (JavaScript objects drop it); rename the parameter, field, lock or resource it names",
            code: 'LS105',
          };
        }
        const item: unknown = (value as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: depth + 1, key, parent: top });
      }
    }
  }
  return heavy ? tooHeavy(heavy) : null;
}

/** Per operation, the first step (if any) nested deeper than MAX_STEP_DEPTH blocks. */
function stepDepthIssues(input: unknown): ModelIssue[] {
  const operations = (input as { operations?: unknown } | null)?.operations;
  // Lists over the size limit are left to jsonShapeIssue, which refuses them without looking inside.
  if (!Array.isArray(operations) || operations.length > MAX_LIST_ITEMS) return [];
  const root: Visit = { value: input, depth: 0, key: '', parent: null };
  const list: Visit = { value: operations, depth: 0, key: 'operations', parent: root };
  const issues: ModelIssue[] = [];
  operations.forEach((op, index) => {
    const opVisit: Visit = { value: op, depth: 0, key: index, parent: list };
    const stack: Visit[] = [{ value: (op as { steps?: unknown } | null)?.steps, depth: 1, key: 'steps', parent: opVisit }];
    for (let block = stack.pop(); block; block = stack.pop()) {
      if (!Array.isArray(block.value) || block.value.length > MAX_LIST_ITEMS) continue;
      if (block.depth > MAX_STEP_DEPTH) {
        issues.push({ path: pathOf(block), message: `steps nest deeper than ${MAX_STEP_DEPTH} blocks (if, atomic, with, else, onFail)`, code: 'LS103' });
        return;
      }
      block.value.forEach((step: unknown, i: number) => {
        if (typeof step !== 'object' || step === null) return;
        const here: Visit = { value: step, depth: block.depth, key: i, parent: block };
        for (const key of BLOCK_KEYS) {
          const child = (step as Record<string, unknown>)[key];
          if (Array.isArray(child)) stack.push({ value: child, depth: block.depth + 1, key, parent: here });
        }
      });
    }
  });
  return issues;
}

/** Issues for input too deep, too large or keyed too oddly to validate safely (empty when the document is within the limits). */
export function nestingIssues(input: unknown): ModelIssue[] {
  const steps = stepDepthIssues(input);
  if (steps.length > 0) return steps;
  const json = jsonShapeIssue(input);
  return json ? [json] : [];
}

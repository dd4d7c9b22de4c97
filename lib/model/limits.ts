/**
 * What validation accepts, and how much it reports: each limit keeps the work
 * of validating (and later checking) any document linear in its size, and
 * turns input the checker cannot represent into a clear issue.
 */

/** Deepest nesting of an expression (parentheses, !, -, quantifiers, lists, field access, operators). */
export const MAX_EXPRESSION_DEPTH = 256;
/** Deepest nesting of step blocks (if/else, atomic, with, acquire else, onFail). */
export const MAX_STEP_DEPTH = 64;
/** Deepest nesting of any JSON value in the document. */
export const MAX_JSON_DEPTH = 200;
/** Most items in any one list, or keys in any one object (a model with more is not one a person wrote). */
export const MAX_LIST_ITEMS = 10_000;
/**
 * Most values (objects, lists, strings, numbers, …) in a whole document. The
 * schema (zod) spends a few microseconds on each value it rejects and cannot
 * stop early, so this bounds its work before it runs.
 */
export const MAX_DOCUMENT_VALUES = 50_000;
/**
 * Most "weight" in a document, a value at nesting depth d weighing d². zod
 * copies the path of every issue at every recursive (step) level, so a
 * rejected value deep in nested steps costs it about d² (200 KB of bad
 * items 60 blocks deep took 3 s and 1.3 GB before this limit). Ordinary
 * documents weigh far less: 10,000 values 8 deep weigh 640,000.
 */
export const MAX_DOCUMENT_WEIGHT = 2_000_000;
/** Issues listed in full; the rest are counted in a final "…and N more". */
export const MAX_ISSUES_LISTED = 500;
/**
 * The schema stops examining steps once it has found this many issues in
 * them: zod cannot stop by itself, and an empty step gives it about four
 * issues (each with its path copied at every level), so 25,000 bad steps
 * cost it 1.5 CPU-s. The count in "…and N more" is then a lower bound.
 */
export const MAX_SCHEMA_STEP_ISSUES = 1_000;
/** Validation stops after finding this many issues (the count in "…and N more" is then a lower bound). */
export const MAX_ISSUES_FOUND = 10_000;

/** The checker stores every value in an Int32Array: ints must fit exactly. */
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

export function outsideInt32(value: number): boolean {
  return value < INT32_MIN || value > INT32_MAX;
}

/** "… is outside the supported range −2147483648…2147483647". */
export const INT32_RANGE_TEXT = `the supported range ${INT32_MIN}…${INT32_MAX}`;

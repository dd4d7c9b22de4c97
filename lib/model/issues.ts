/**
 * Stable codes of the problems validation reports: `LS1xx` the document's shape,
 * `LS2xx` names and references, `LS3xx` expressions. A code keeps its meaning
 * forever; a new kind of problem gets a new code (and a line in ISSUE_CODES).
 */
export type IssueCode =
  | 'LS100' | 'LS101' | 'LS102' | 'LS103' | 'LS104' | 'LS105' | 'LS199'
  | 'LS201' | 'LS202' | 'LS203' | 'LS204' | 'LS205' | 'LS206' | 'LS207' | 'LS208' | 'LS209'
  | 'LS210' | 'LS211' | 'LS212' | 'LS213' | 'LS214' | 'LS215' | 'LS216' | 'LS217' | 'LS218' | 'LS220'
  | 'LS230' | 'LS232' | 'LS233' | 'LS234' | 'LS235' | 'LS236' | 'LS237' | 'LS238'
  | 'LS240' | 'LS241' | 'LS242'
  | 'LS301' | 'LS302'
  | 'LS999';

/** What each code means, in one line. */
export const ISSUE_CODES: Record<IssueCode, string> = {
  LS100: 'the text is not valid JSON',
  LS101: 'the document does not have the shape of a model (schema)',
  LS102: 'the JSON nests too deeply to validate',
  LS103: 'steps nest too deeply (if, atomic, with, else, onFail)',
  LS104: 'the document, a list or an object is too large to validate',
  LS105: "a '__proto__' key, which JavaScript objects drop",
  LS199: 'more issues than are listed (the count of the rest)',
  LS201: 'a duplicate name (resource, state, field, lock, operation, parameter, invariant, scenario)',
  LS202: 'an unknown state of a resource (initial state, transition)',
  LS203: "a field called 'state', which is built in",
  LS204: 'a reference field of an unknown resource type',
  LS205: 'a literal that is not a value of its type (initial value, cas from/to, scenario field)',
  LS206: 'a lock keyed by an unknown resource type',
  LS207: 'an operation parameter of an unknown resource type',
  LS208: 'a step that names an unknown lock',
  LS209: 'a fenced write by a lock that issues no fencing tokens',
  LS210: "a lock's 'on' that does not fit its key (missing for a keyed lock, given for a global one)",
  LS211: 'a duplicate step label in an operation',
  LS212: 'a step kind that cannot run inside atomic',
  LS213: "a read into a parameter's name",
  LS214: 'a local read again with another type',
  LS215: 'a fallback block the step never takes (else without try, onFail without mayFail)',
  LS216: 'an int local that may not fit in 32 bits',
  LS217: 'onFail inside atomic (a rejected write rolls the block back)',
  LS218: "a cas with else 'retry' inside atomic",
  LS220: 'a scenario problem: a name it uses is unknown, duplicated, missing or of the wrong type',
  LS230: "an update's where or set field that its resource does not have",
  LS232: "an update condition whose operator and value do not fit ('in'/'not in' without a list, '=='/'!=' with one)",
  LS233: "an update with both 'else' and 'onFail'",
  LS234: 'two conditions of one update with the same name (a where field twice, or a filter named like another condition)',
  LS235: "an update's failedAs that nothing can read (no onFail, or no condition to name)",
  LS236: "an update's failedAs that names a parameter or a local of another type",
  LS237: 'a field set twice in one update',
  LS238: "an update inside atomic with onFail or else 'retry'",
  LS240: "an acquire with both 'try' and 'timeout' (a try-acquire never waits)",
  LS241: "the 'heartbeat' option on a field that is not bool",
  LS242: 'a lock that hands out fencing tokens acquired inside a repeat (every round takes a new token: the state space has no end)',
  LS301: 'a step expression that does not parse or type-check',
  LS302: 'an invariant that does not parse or type-check',
  LS999: 'an internal validation error (a bug in Lockstep)',
};

/** A problem found in a model document: where (a path into the JSON) and what, in plain words. */
export interface ModelIssue {
  /** Path into the document, e.g. `operations[1].steps[2].cond`. Empty for the whole document. */
  path: string;
  message: string;
  /** Stable code; its meaning is in ISSUE_CODES. */
  code: IssueCode;
  /** 1-based column inside an expression, when the issue is inside one. */
  column?: number;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ModelIssue[] };

/**
 * `['operations', 1, 'steps', 2, 'cond']` → `operations[1].steps[2].cond`. A key
 * that is not a plain name (a user's map key such as `" ] "`) is written
 * quoted, `args[" ] "]`, so every path reads back to the place it names.
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (!PLAIN_KEY.test(String(part))) out += `[${JSON.stringify(String(part))}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Keys written bare: no dot, bracket, quote or space, and not empty. */
const PLAIN_KEY = /^[^.[\]"\s]+$/;

/** `operations[1].steps[2].cond` → `['operations', 1, 'steps', 2, 'cond']` (the inverse of formatPath). */
export function parsePath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g)) out.push(m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? (JSON.parse(m[2]) as string) : m[3]);
  return out;
}

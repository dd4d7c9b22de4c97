/** A problem found in a model document: where (a path into the JSON) and what, in plain words. */
export interface ModelIssue {
  /** Path into the document, e.g. `operations[1].steps[2].cond`. Empty for the whole document. */
  path: string;
  message: string;
  /** Stable code, e.g. `LS101` (schema), `LS2xx` (names), `LS3xx` (expressions). */
  code: string;
  /** 1-based column inside an expression, when the issue is inside one. */
  column?: number;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ModelIssue[] };

/** `['operations', 1, 'steps', 2, 'cond']` → `operations[1].steps[2].cond`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

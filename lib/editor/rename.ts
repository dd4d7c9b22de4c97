/**
 * After a rename, the places that used the old name inside expressions (and
 * cas values) are found by the validator — the issues that say "unknown
 * state 'old' of R", "unknown resource type 'Old'"… — and rewritten there
 * only. Typed: a Snapshot's 'available' is left alone when a Share's is renamed.
 */
import { validateModel, type ModelDocument } from '@/lib/model';
import { getIn, setIn } from './path';

const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rewrites, at every path whose issue message contains `marker`, with `rewrite`; repeats while it helps. */
function fixReferences(doc: ModelDocument, marker: string, rewrite: (value: unknown) => unknown): ModelDocument {
  let current = doc;
  for (let round = 0; round < 8; round++) {
    const result = validateModel(current);
    if (result.ok) return current;
    const targets = [...new Set(result.issues.filter((i) => i.message.includes(marker)).map((i) => i.path))];
    let changed = false;
    for (const path of targets) {
      const value = getIn(current, path);
      const next = rewrite(value);
      if (next !== value) {
        current = setIn(current, path, next);
        changed = true;
      }
    }
    if (!changed) return current;
  }
  return current;
}

export function fixStateReferences(doc: ModelDocument, resource: string, from: string, to: string): ModelDocument {
  const literal = new RegExp(`"${quote(from)}"`, 'g');
  return fixReferences(doc, `unknown state '${from}' of ${resource}`, (v) => (v === from ? to : typeof v === 'string' ? v.replace(literal, `"${to}"`) : v));
}

export function fixResourceReferences(doc: ModelDocument, from: string, to: string): ModelDocument {
  const word = new RegExp(`(?<![\\w.])${quote(from)}(?!\\w)`, 'g');
  return fixReferences(doc, `unknown resource type '${from}'`, (v) => (typeof v === 'string' ? v.replace(word, to) : v));
}

export function fixOperationReferences(doc: ModelDocument, from: string, to: string): ModelDocument {
  const call = new RegExp(`(\\bat\\(\\s*)${quote(from)}(\\s*,)`, 'g');
  return fixReferences(doc, `unknown operation '${from}'`, (v) => (typeof v === 'string' ? v.replace(call, `$1${to}$2`) : v));
}

export function fixLockReferences(doc: ModelDocument, from: string, to: string): ModelDocument {
  const call = new RegExp(`(\\bholds\\(\\s*)${quote(from)}(?![\\w-])`, 'g');
  // token(L, r) / token(L), fence(r, L) / fence(L): the name may be quoted ("share-lease"); keep the quote, or add one when needed.
  const name = `(["']?)${quote(from)}\\2`;
  const tokenCall = new RegExp(`(\\btoken\\(\\s*)${name}(?=\\s*[,)])`, 'g');
  const fenceCall = new RegExp(`(\\bfence\\((?:[^(),]*,)?\\s*)${name}(?=\\s*\\))`, 'g');
  const mark = (q: string) => q || (/^[A-Za-z_][A-Za-z0-9_]*$/.test(to) ? '' : '"');
  const renamed = (_: string, head: string, q: string) => `${head}${mark(q)}${to}${mark(q)}`;
  return fixReferences(doc, `unknown lock '${from}'`, (v) =>
    typeof v === 'string' ? v.replace(call, `$1${to}`).replace(tokenCall, renamed).replace(fenceCall, renamed) : v,
  );
}

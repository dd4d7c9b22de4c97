/**
 * After a state is renamed, the places that named it by its old name (string
 * literals in expressions, cas values) are found by the validator — the
 * issues that say "unknown state 'old' of R" — and rewritten. Typed, so a
 * Snapshot's 'available' is left alone when a Share's is renamed.
 */
import { validateModel, type ModelDocument } from '@/lib/model';
import { getIn, setIn } from './path';

const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function fixStateReferences(doc: ModelDocument, resource: string, from: string, to: string): ModelDocument {
  const marker = `unknown state '${from}' of ${resource}`;
  let current = doc;
  for (let round = 0; round < 8; round++) {
    const result = validateModel(current);
    if (result.ok) return current;
    const targets = [...new Set(result.issues.filter((i) => i.message.includes(marker)).map((i) => i.path))];
    if (targets.length === 0) return current;
    let changed = false;
    for (const path of targets) {
      const value = getIn(current, path);
      if (value === from) {
        current = setIn(current, path, to); // a cas value or a scenario's starting state
        changed = true;
      } else if (typeof value === 'string') {
        const next = value.replace(new RegExp(`"${quote(from)}"`, 'g'), `"${to}"`);
        if (next !== value) {
          current = setIn(current, path, next);
          changed = true;
        }
      }
    }
    if (!changed) return current;
  }
  return current;
}

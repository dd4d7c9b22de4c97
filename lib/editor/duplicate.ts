/**
 * Copies of named things: an operation, a scenario, a whole model. The copy
 * gets "<name> copy" (or "_copy" where the name must be an identifier-like
 * label), numbered when that is taken, and sits right after the original.
 */
import type { ModelDocument } from '@/lib/model';

/**
 * The first free name among `name<sep>copy`, `name<sep>copy<sep>2`, … .
 * Operation and scenario names may not contain spaces (schema NAME), so they use `_`;
 * model names are free text and use a space ("Share race copy").
 */
export function copyName(name: string, taken: Iterable<string>, sep: ' ' | '_' = '_'): string {
  const set = new Set(taken);
  const base = `${name}${sep}copy`;
  if (!set.has(base)) return base;
  for (let i = 2; ; i++) if (!set.has(`${base}${sep}${i}`)) return `${base}${sep}${i}`;
}

const clone = <T>(value: T): T => structuredClone(value);

/** The operation at `index` copied (steps and all) under a fresh name, inserted right after it. */
export function duplicateOperation(doc: ModelDocument, index: number): ModelDocument {
  const op = doc.operations[index];
  if (!op) return doc;
  const copy = { ...clone(op), name: copyName(op.name, doc.operations.map((o) => o.name)) };
  return { ...doc, operations: [...doc.operations.slice(0, index + 1), copy, ...doc.operations.slice(index + 1)] };
}

/** The scenario at `index` copied under a fresh name, inserted right after it. */
export function duplicateScenario(doc: ModelDocument, index: number): ModelDocument {
  const sc = doc.scenarios[index];
  if (!sc) return doc;
  const copy = { ...clone(sc), name: copyName(sc.name, doc.scenarios.map((s) => s.name)) };
  return { ...doc, scenarios: [...doc.scenarios.slice(0, index + 1), copy, ...doc.scenarios.slice(index + 1)] };
}

/** A whole model's document for a new model beside it: same content, name "<name> copy" unique among `taken`. */
export function duplicateModelDocument(doc: ModelDocument, taken: Iterable<string>): ModelDocument {
  // A model name holds at most 200 characters: shorten the original to leave room for " copy 99".
  return { ...clone(doc), name: copyName(doc.name.slice(0, MODEL_NAME_MAX - 8).trimEnd(), taken, ' ') };
}

const MODEL_NAME_MAX = 200;

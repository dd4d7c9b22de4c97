/** Identifiers and literals for generated code: the escaping modules under escape/, and a literal printer built on them. */
import { objectKey } from './escape/ts-key';
import { tsString } from './escape/ts-string';

export { camel, pascal, NameTable, declaredNames } from './escape/identifier';
export { commentText as commentLine } from './escape/ts-comment';
export { objectKey, typeKey, member } from './escape/ts-key';
export { tsString as str } from './escape/ts-string';

/** The entries of an object (a Map for keys like `__proto__`), undefined values left out. */
export function entriesOf(value: object): Array<[string, unknown]> {
  const all = value instanceof Map ? [...(value as Map<string, unknown>)] : Object.entries(value as Record<string, unknown>);
  return all.filter(([, v]) => v !== undefined);
}

/** A JSON-like value (a Map prints as an object) as a one-line TypeScript literal with bare keys: `{ kind: "arg", name: "share" }`. */
export function literal(value: unknown): string {
  if (typeof value === 'string') return tsString(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  const entries = entriesOf(value);
  return entries.length ? `{ ${entries.map(([k, v]) => `${objectKey(k)}: ${literal(v)}`).join(', ')} }` : '{}';
}

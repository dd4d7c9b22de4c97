/** Identifiers and literals for generated code: the escaping modules under escape/, and a literal printer built on them. */
import { objectKey } from './escape/ts-key';
import { tsString } from './escape/ts-string';

export { camel, pascal, NameTable, declaredNames } from './escape/identifier';
export { commentText as commentLine } from './escape/ts-comment';
export { objectKey, typeKey, member } from './escape/ts-key';
export { tsString as str } from './escape/ts-string';

/** A JSON-like value as a one-line TypeScript literal with bare keys: `{ t: "arg", name: "share" }`. */
export function literal(value: unknown): string {
  if (typeof value === 'string') return tsString(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return entries.length ? `{ ${entries.map(([k, v]) => `${objectKey(k)}: ${literal(v)}`).join(', ')} }` : '{}';
}

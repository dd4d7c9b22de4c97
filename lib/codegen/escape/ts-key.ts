/**
 * Model names as property keys in generated TypeScript.
 *
 * In an object literal, `__proto__: x` and `"__proto__": x` both set the
 * prototype instead of adding a key; a computed key `["__proto__"]: x` adds an
 * own property like any other name. Other names (`constructor`, `toString`…)
 * are ordinary own properties in a literal. In a type (interface, type literal)
 * every name, `__proto__` included, is an ordinary property.
 */
import { tsString } from './ts-string';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A key in a type: bare when it is a plain identifier, quoted otherwise. */
export function typeKey(name: string): string {
  return IDENTIFIER.test(name) ? name : tsString(name);
}

/** A key in an object literal (a value): like typeKey, but `__proto__` is computed so it stays an own key. */
export function objectKey(name: string): string {
  return name === '__proto__' ? `[${tsString(name)}]` : typeKey(name);
}

/** Reads property `name` of `object`: `args.share`, or `args["a-b"]`. */
export function member(object: string, name: string): string {
  return IDENTIFIER.test(name) ? `${object}.${name}` : `${object}[${tsString(name)}]`;
}

/** Identifiers and literals for generated code. */

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(' '),
);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** `mark-deleting` → `MarkDeleting`. */
export function pascal(name: string): string {
  const out = words(name).map(cap).join('');
  return /^[0-9]/.test(out) ? `N${out}` : out || 'X';
}

/** `delete-share` → `deleteShare`; `Share` → `share`. Never a reserved word. */
export function camel(name: string): string {
  const p = pascal(name);
  const out = p.charAt(0).toLowerCase() + p.slice(1);
  return RESERVED.has(out) ? `${out}_` : out;
}

/** A string literal for TypeScript source (JSON's escaping is valid TS). */
export const str = (text: string): string => JSON.stringify(text);

/** An object key: bare when it is a plain identifier, quoted otherwise. */
export function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : str(name);
}

/** One line of text safe inside a `//` or `*` comment. */
export function commentLine(text: string): string {
  return text.replace(/\*\//g, '* /').replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** Gives each wanted name a unique identifier, suffixing 2, 3… on collision. */
export class NameTable {
  private readonly used = new Set<string>();
  claim(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.used.has(name); i++) name = `${wanted}${i}`;
    this.used.add(name);
    return name;
  }
}

/** A JSON-like value as a one-line TypeScript literal with bare keys: `{ t: "arg", name: "share" }`. */
export function literal(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return entries.length ? `{ ${entries.map(([k, v]) => `${key(k)}: ${literal(v)}`).join(', ')} }` : '{}';
}
